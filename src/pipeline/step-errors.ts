import { AppError, errorMessage } from '../errors.js';

/** A step failed; the job fails with the step's name in its error. */
export class StepFailedError extends AppError {
  readonly code = 'STEP_FAILED';

  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`step "${step}" failed: ${errorMessage(cause)}`, { cause });
  }
}

/**
 * A streaming step was stopped because another step of its job failed: its producer's iterator was
 * returned, or its input ended early. Not a failure of its own (the step is CANCELLED); the job's
 * error is the step that did fail.
 */
export class StreamStoppedError extends AppError {
  readonly code = 'STREAM_STOPPED';

  constructor(readonly failure: StepFailedError) {
    super(`stopped: ${failure.message}`, { cause: failure });
  }
}

/** A batch a step yielded is not an array of rows; names the batch, counting from 1. */
export class BatchInvalidError extends AppError {
  readonly code = 'BATCH_INVALID';

  constructor(
    readonly batch: number,
    got: string,
  ) {
    super(`batch ${batch} is not an array of rows (got ${got})`);
  }
}
