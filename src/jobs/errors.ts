import { AppError, errorMessage } from '../errors.js';

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

/**
 * Code running for a job failed where no step could catch it (a rejected promise nobody handled,
 * an exception thrown from a timer): the job fails with it.
 */
export class JobFaultError extends AppError {
  readonly code = 'FAULT';

  constructor(what: string, step: string | null, cause: unknown) {
    super(`${what}${step ? ` in step "${step}"` : ''}: ${errorMessage(cause)}`, { cause });
  }
}
