import { AppError } from '../errors.js';

/** A storage target could not be reached or prepared (connect, create database, migrate). */
export class TargetUnavailableError extends AppError {
  readonly code = 'TARGET_UNAVAILABLE';

  constructor(
    readonly target: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`storage target "${target}": ${message}`, options);
  }
}

/** A write to one target failed (after retries when the failure was transient). */
export class TargetWriteError extends AppError {
  readonly code = 'TARGET_WRITE_FAILED';

  constructor(
    readonly target: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`storage target "${target}": ${message}`, options);
  }
}
