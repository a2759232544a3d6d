import { AppError } from '../errors.js';

/** A job ran longer than its timeout. */
export class JobTimeoutError extends AppError {
  readonly code = 'TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs / 1000} s`);
  }
}

/** The server is shutting down and no longer takes jobs (or is cancelling the ones left). */
export class ShuttingDownError extends AppError {
  readonly code = 'SHUTTING_DOWN';

  constructor() {
    super('the server is shutting down');
  }
}
