import { AppError, ConflictError, errorMessage } from '../errors.js';
import type { Job } from './job.js';

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

/**
 * A schedule's partition already has a waiting, running or finished job: nothing new runs
 * (`force` redoes a finished one).
 */
export class PartitionTakenError extends ConflictError {
  constructor(
    readonly schedule: string,
    readonly partition: string,
    readonly holder: Job,
  ) {
    super(
      `partition ${partition} of schedule "${schedule}" already has a ${holder.status} job (${holder.id})` +
        (holder.status === 'FINISHED' ? '; force: true runs it again' : ''),
    );
  }
}
