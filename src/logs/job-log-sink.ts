import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { AppEvents } from '../events/app-events.js';
import type { LogLine, LogLineLevel } from '../jobs/job.js';
import type { JobLineSink } from './job-scope.js';
import type { JobLogFiles } from './job-log-files.js';
import { sleep } from '../abort.js';
import { JOB_STORE_RETRY_POLICY } from '../jobs/job-state-writer.js';
import { STORED_TEXT_LIMITS, truncateText } from '../jobs/stored-text.js';
import { retryDelayMs, type RetryPolicy } from '../retry-policy.js';
import { isTransient } from '../storage/upsert/transient-errors.js';

export interface JobLogSinkDeps {
  store: { appendLogLines(lines: readonly LogLine[]): Promise<void> };
  bus: EventBus<AppEvents>;
  /** The server's own logger, for problems of the sink itself (never the job's lines). */
  logger: Logger;
  batchLines: number;
  batchMs: number;
  files: JobLogFiles | null;
  /** Retries of a batch the store refused for a transient reason (default: the job store's). */
  retry?: RetryPolicy;
}

/**
 * The log of one job. Lines get consecutive sequence numbers as they are written (so the order
 * and the absence of gaps do not depend on when they are stored), wait in a buffer, and are
 * stored and published in batches: one insert and one event per batch, not per line, which is
 * what keeps a job that logs 100,000 lines from slowing down.
 */
export class JobLogSink implements JobLineSink {
  #seq: number;
  #buffer: LogLine[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;
  #dropped = 0;
  /** Lines the store never took (it was away past the retries, or refused them). */
  lost = 0;

  constructor(
    readonly jobId: string,
    private readonly deps: JobLogSinkDeps,
    /** The last seq already stored (a job resumed after a restart continues its numbering). */
    startSeq = 0,
  ) {
    this.#seq = startSeq;
  }

  /** The seq of the last line written (stored or not yet). */
  get lastSeq(): number {
    return this.#seq;
  }

  write(level: LogLineLevel, message: string, step: string | null): void {
    if (this.#closed) {
      // Only a step that ignored its abort signal writes after the job ended.
      this.#dropped++;
      return;
    }
    this.#buffer.push({
      jobId: this.jobId,
      seq: ++this.#seq,
      time: new Date(),
      level,
      step,
      message: truncateText(message, STORED_TEXT_LIMITS.logMessage),
    });
    if (this.#buffer.length >= this.deps.batchLines) {
      void this.flush();
    } else {
      this.#timer ??= setTimeout(() => void this.flush(), this.deps.batchMs);
    }
  }

  /** Stores and publishes every line written so far; resolves when they are stored. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer;
    if (batch.length === 0) return this.#flushing;
    this.#buffer = [];
    // Chained, so batches are stored and published strictly in seq order.
    this.#flushing = this.#flushing.then(() => this.#store(batch));
    return this.#flushing;
  }

  /** Flushes everything; lines written afterwards are dropped and counted. */
  async close(): Promise<void> {
    // Lines written while a batch is being stored (a step still finishing, a retry's own error
    // line) may be flushed by their timer into a newer batch: wait until no batch is left and none
    // was added meanwhile, then close in the same turn, so no line is numbered without being stored.
    for (;;) {
      const flushed = this.flush();
      await flushed;
      if (this.#buffer.length === 0 && this.#flushing === flushed) break;
    }
    this.#closed = true;
    if (this.#dropped > 0)
      this.deps.logger.warn(
        { jobId: this.jobId, dropped: this.#dropped },
        'log lines written after the job ended were dropped',
      );
  }

  async #store(batch: LogLine[]): Promise<void> {
    const policy = this.deps.retry ?? JOB_STORE_RETRY_POLICY;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.appendLogLines(batch);
        break;
      } catch (error) {
        // The control database briefly away must not lose lines: keep them and retry, a bounded
        // number of times, so a store gone for good cannot hold the job (and shutdown) forever.
        if (!isTransient(error) || attempt >= policy.attempts) {
          this.lost += batch.length;
          this.deps.logger.error(
            { jobId: this.jobId, lines: batch.length, attempts: attempt, err: error },
            'storing job log lines failed; the lines are lost',
          );
          return;
        }
        this.deps.logger.warn(
          { jobId: this.jobId, lines: batch.length, attempt, error: errorMessage(error) },
          'storing job log lines failed; retrying',
        );
        await sleep(retryDelayMs(policy, attempt));
      }
    }
    this.deps.bus.emit('jobLogs', { jobId: this.jobId, lines: batch });
    if (this.deps.files) {
      try {
        await this.deps.files.append(this.jobId, batch);
      } catch (error) {
        this.deps.logger.error({ jobId: this.jobId, err: error }, 'writing job log files failed');
      }
    }
  }
}
