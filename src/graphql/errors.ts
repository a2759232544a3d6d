import { AppError, type Problem } from '../errors.js';

/** A submitted job spec (either form) is invalid; `problems` lists every problem with its path. */
export class JobSpecInvalidError extends AppError {
  readonly code = 'JOB_SPEC_INVALID';

  constructor(readonly problems: readonly Problem[]) {
    super(
      `the job spec is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    );
  }
}
