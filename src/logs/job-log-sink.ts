import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { AppEvents } from '../events/app-events.js';
import type { LogLine, LogLineLevel } from '../jobs/job.js';
import type { JobLineSink } from './job-scope.js';
import type { JobLogFiles } from './job-log-files.js';

export interface JobLogSinkDeps {
  store: { appendLogLines(lines: readonly LogLine[]): Promise<void> };
  bus: EventBus<AppEvents>;
  /** The server's own logger, for problems of the sink itself (never the job's lines). */
  logger: Logger;
  batchLines: number;
  batchMs: number;
  files: JobLogFiles | null;
}

const RETRY_MS = [100, 500, 1000, 2000, 5000];

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
      message,
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
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.store.appendLogLines(batch);
        break;
      } catch (error) {
        // The control database being briefly away must not lose lines: keep them and retry.
        const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
        this.deps.logger.error(
          {
            jobId: this.jobId,
            lines: batch.length,
            attempt: attempt + 1,
            error: errorMessage(error),
          },
          'storing job log lines failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
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
