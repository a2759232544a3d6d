import { AppError } from '../errors.js';

/** A task failed inside its worker: the message (and stack) are the worker's own. */
export class WorkerTaskError extends AppError {
  readonly code = 'WORKER_TASK_FAILED';

  constructor(
    readonly errorName: string,
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
  }
}

/** The pool was closed (the server is stopping) before the task could finish. */
export class WorkerPoolClosedError extends AppError {
  readonly code = 'WORKER_POOL_CLOSED';

  constructor() {
    super('the worker pool is closed');
  }
}
