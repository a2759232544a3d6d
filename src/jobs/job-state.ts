import type { StepProgress } from '../components/component.js';
import { JobCancelledError, errorMessage } from '../errors.js';
import { JobTimeoutError } from './errors.js';
import { isFinal, type Job, type JobStatus } from './job.js';
import { STORED_TEXT_LIMITS, truncateText } from './stored-text.js';

/** Why a job's run ended; `finalOutcome` turns it into the final status and error. */
export type RunEnding =
  | { readonly kind: 'succeeded' }
  /** A step failed, or the run itself could not go on. */
  | { readonly kind: 'failed'; readonly error: string }
  /** The job's signal was aborted: a cancel, its timeout, a shutdown. */
  | { readonly kind: 'aborted'; readonly reason: unknown };

export interface FinalOutcome {
  readonly status: JobStatus;
  readonly error: string | null;
}

/**
 * The one place that decides a job's final status: a timeout fails it, a cancel (by a user or a
 * shutdown) cancels it with its reason, anything else aborting it fails it with the reason's
 * message, and a failure fails it.
 */
export function finalOutcome(ending: RunEnding): FinalOutcome {
  switch (ending.kind) {
    case 'succeeded':
      return { status: 'FINISHED', error: null };
    case 'failed':
      return { status: 'FAILED', error: ending.error };
    case 'aborted': {
      const { reason } = ending;
      if (reason instanceof JobTimeoutError) return { status: 'FAILED', error: reason.message };
      if (reason instanceof JobCancelledError) return { status: 'CANCELLED', error: reason.reason };
      return { status: 'FAILED', error: errorMessage(reason) };
    }
  }
}

const boundedError = (text: string) => truncateText(text, STORED_TEXT_LIMITS.error);

/**
 * A job's state and the only code that changes it: WAITING → RUNNING → a final status, each step
 * WAITING → RUNNING → FINISHED / FAILED / CANCELLED (or SKIPPED when it never ran). Once the job
 * is final nothing changes any more, whatever a late step reports: every method then returns
 * false, so callers know not to save or publish. Error texts are cut to what the store holds.
 */
export class JobState {
  constructor(readonly job: Job) {}

  get final(): boolean {
    return isFinal(this.job.status);
  }

  start(now = new Date()): boolean {
    if (this.job.status !== 'WAITING') return false;
    this.job.status = 'RUNNING';
    this.job.startedAt = now;
    return true;
  }

  stepStarted(index: number, rowsIn: number | null, now = new Date()): boolean {
    const step = this.#runningStep(index, 'WAITING');
    if (!step) return false;
    Object.assign(step, { status: 'RUNNING', startedAt: now, rowsIn });
    return true;
  }

  /** Rows counted as they pass (a streaming step), while the step runs. */
  stepRows(index: number, rows: { rowsIn?: number | null; rowsOut?: number | null }): boolean {
    const step = this.#runningStep(index, 'RUNNING');
    if (!step) return false;
    if (rows.rowsIn !== undefined) step.rowsIn = rows.rowsIn;
    if (rows.rowsOut !== undefined) step.rowsOut = rows.rowsOut;
    return true;
  }

  /** A result recorded while the step runs (a streaming storager's counts after each batch). */
  stepResult(index: number, result: unknown): boolean {
    const step = this.#runningStep(index, 'RUNNING');
    if (!step) return false;
    step.result = result ?? null;
    return true;
  }

  stepFinished(
    index: number,
    outcome: { rowsOut: number | null; result: unknown },
    now = new Date(),
  ): boolean {
    const step = this.#runningStep(index, 'RUNNING');
    if (!step) return false;
    Object.assign(step, {
      status: 'FINISHED',
      finishedAt: now,
      rowsOut: outcome.rowsOut,
      result: outcome.result ?? null,
    });
    return true;
  }

  /** `aborted`: the step ended because the job's signal was aborted (it is CANCELLED, not FAILED). */
  stepFailed(
    index: number,
    failure: { error: unknown; result: unknown; aborted: boolean },
    now = new Date(),
  ): boolean {
    const step = this.#runningStep(index, 'RUNNING');
    if (!step) return false;
    Object.assign(step, {
      status: failure.aborted ? 'CANCELLED' : 'FAILED',
      finishedAt: now,
      error: boundedError(errorMessage(failure.error)),
      result: failure.result ?? null,
    });
    return true;
  }

  stepProgress(index: number, progress: StepProgress): boolean {
    const step = this.#runningStep(index, 'RUNNING');
    if (!step) return false;
    const at = step.progress.findIndex((p) => p.label === progress.label);
    if (at >= 0) step.progress[at] = { ...progress };
    else step.progress.push({ ...progress });
    return true;
  }

  /**
   * The final status, once: steps that never started are SKIPPED, steps still running end with
   * the job (FINISHED when it succeeded, CANCELLED otherwise).
   */
  end(outcome: FinalOutcome, now = new Date()): boolean {
    if (this.final) return false;
    for (const step of this.job.steps) {
      if (step.status === 'WAITING') step.status = 'SKIPPED';
      else if (step.status === 'RUNNING') {
        step.status = outcome.status === 'FINISHED' ? 'FINISHED' : 'CANCELLED';
        step.finishedAt = now;
      }
    }
    this.job.status = outcome.status;
    this.job.error = outcome.error === null ? null : boundedError(outcome.error);
    this.job.finishedAt = now;
    return true;
  }

  /**
   * A job found RUNNING at start-up, whose process stopped under it: FAILED with `error`, the
   * steps it was running FAILED as interrupted, the ones it never reached SKIPPED.
   */
  interrupt(error: string, now = new Date()): boolean {
    if (this.final) return false;
    for (const step of this.job.steps) {
      if (step.status === 'RUNNING')
        Object.assign(step, { status: 'FAILED', finishedAt: now, error: 'interrupted' });
      else if (step.status === 'WAITING') step.status = 'SKIPPED';
    }
    this.job.status = 'FAILED';
    this.job.error = boundedError(error);
    this.job.finishedAt = now;
    return true;
  }

  #runningStep(index: number, expected: 'WAITING' | 'RUNNING') {
    if (this.job.status !== 'RUNNING') return undefined;
    const step = this.job.steps[index];
    return step?.status === expected ? step : undefined;
  }
}
