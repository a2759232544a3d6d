import type { Logger } from 'pino';
import { sleep } from '../abort.js';
import { errorMessage } from '../errors.js';
import { retryDelayMs, type RetryPolicy } from '../retry-policy.js';
import { isTransient } from '../storage/upsert/transient-errors.js';
import type { Job } from './job.js';
import { snapshotJob } from './snapshot.js';
import { resultProblem, STORED_TEXT_LIMITS, truncateText } from './stored-text.js';

/**
 * About half a minute of patience: a control database restarting gets through, one gone for good
 * does not hold a job slot (and shutdown) hostage. A job whose final state could not be stored
 * is found RUNNING at the next start and marked interrupted.
 */
export const JOB_STORE_RETRY_POLICY: RetryPolicy = {
  attempts: 12,
  firstDelayMs: 100,
  factor: 2,
  maxDelayMs: 5000,
  jitter: 0.2,
};

export interface JobStateWriterDeps {
  /** Resolving false means the store refused the write for good (fenced: see `fenced`). */
  store: { update(job: Job): Promise<void | boolean> };
  /** A job whose write was fenced off (cluster mode: no longer this process's). */
  onFenced?: (job: Job) => void;
  /** The server's own log: a store failure is the operator's to see, not the job's. */
  logger: Logger;
  policy?: RetryPolicy;
}

/**
 * Stores job states. Writes of one job run one after another, each writing the state as of when
 * it runs, so an older state never lands last. A transient failure (connection lost, lock wait,
 * deadlock, server gone) is retried with backoff, a bounded number of times; any other failure
 * means the row as it is cannot be stored, so it is written once more with every value cut to
 * what the store takes (see `storableCopy`). A save that still fails is logged and given up:
 * `save` never rejects, so no caller can be wedged by the store.
 */
export class JobStateWriter {
  readonly #chains = new Map<string, Promise<boolean>>();
  readonly #policy: RetryPolicy;
  /** Saves given up on; their jobs will be found RUNNING (interrupted) at the next start. */
  failures = 0;
  readonly #fenced = new Set<string>();

  /** Whether a write of this job was refused because this process no longer holds it. */
  fenced(jobId: string): boolean {
    return this.#fenced.has(jobId);
  }

  constructor(private readonly deps: JobStateWriterDeps) {
    this.#policy = deps.policy ?? JOB_STORE_RETRY_POLICY;
  }

  /** Resolves true once the job's current state is stored, false when that was given up. */
  save(job: Job): Promise<boolean> {
    const previous = this.#chains.get(job.id) ?? Promise.resolve(true);
    const next = previous.then(() => this.#write(job));
    this.#chains.set(job.id, next);
    void next.then(() => {
      if (this.#chains.get(job.id) === next) this.#chains.delete(job.id);
    });
    return next;
  }

  async #write(job: Job): Promise<boolean> {
    const { logger } = this.deps;
    if (this.#fenced.has(job.id)) return false;
    let degraded = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await this.deps.store.update(degraded ? storableCopy(job) : job);
        if (written === false) {
          this.#fenced.add(job.id);
          logger.error(
            { jobId: job.id, status: job.status },
            'job state not written: this process no longer holds the job (it was taken for dead and the job ended in the store); the stored state stays',
          );
          this.deps.onFenced?.(job);
          return false;
        }
        if (attempt > 1) logger.info({ jobId: job.id, attempts: attempt }, 'job state stored');
        return true;
      } catch (error) {
        if (!isTransient(error) && !degraded) {
          logger.error(
            { jobId: job.id, err: error },
            'the job state cannot be stored as it is; storing it with its values cut to what the store takes',
          );
          degraded = true;
          continue;
        }
        if (!isTransient(error) || attempt >= this.#policy.attempts) {
          this.failures += 1;
          logger.error(
            { jobId: job.id, status: job.status, attempts: attempt, err: error },
            'storing the job state failed; giving up (the job will show as interrupted after a restart)',
          );
          return false;
        }
        if (attempt === 1) {
          logger.warn(
            { jobId: job.id, error: errorMessage(error) },
            'storing the job state failed; retrying',
          );
        }
        await sleep(retryDelayMs(this.#policy, attempt));
      }
    }
  }
}

/**
 * A copy of the job whose every part the store can take: step results that are not JSON (or are
 * too large) replaced by a note saying why, every text cut to its column.
 */
export function storableCopy(job: Job): Job {
  const copy = snapshotJob(job);
  copy.error = copy.error === null ? null : truncateText(copy.error, STORED_TEXT_LIMITS.error);
  for (const step of copy.steps) {
    step.error = step.error === null ? null : truncateText(step.error, STORED_TEXT_LIMITS.error);
    step.result = storableResult(step.result);
    step.progress = step.progress.map((p) => ({
      ...p,
      ...(p.label !== undefined ? { label: truncateText(p.label, 200) } : {}),
    }));
  }
  return copy;
}

function storableResult(result: unknown): unknown {
  const problem = resultProblem(result);
  return problem === null ? result : { unstorable: problem };
}
