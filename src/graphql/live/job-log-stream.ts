import { NotFoundError } from '../../errors.js';
import type { Executor } from '../../jobs/executor.js';
import { isFinal, type LogLine } from '../../jobs/job.js';
import type { JobStore } from '../../jobs/job-store.js';
import type { LiveFeeds, LogBatch } from './live-feeds.js';
import { LiveStream } from './live-stream.js';

/**
 * `jobLogs`: a job's lines with seq > `after`, in batches, each line exactly once and in order.
 *
 * The stream keeps a cursor (the last seq sent). It reads stored lines in bounded pages until the
 * store has nothing newer, then takes live batches from the bus, which continue the cursor. Every
 * published line is already stored, so whenever the live batches do not continue the cursor (they
 * were published while the store was being read) or a slow client lets more than
 * `maxPendingLines` pile up, the queued lines are dropped and the stream reads the store again:
 * memory per subscriber stays bounded and nothing is lost or repeated. It completes once the job
 * has ended and a read of the store after that finds nothing newer than the cursor (the executor
 * publishes a job's end only after storing all its lines).
 */
export class JobLogStream extends LiveStream<LogBatch> {
  #cursor: number;
  #queued: LogBatch[] = [];
  #queuedLines = 0;
  #readStore = true;
  #ended = false;

  private constructor(
    private readonly jobId: string,
    after: number,
    private readonly store: JobStore,
    private readonly live: LiveFeeds,
  ) {
    super();
    this.#cursor = after;
  }

  /** Throws NotFoundError for an unknown job. Listens before looking, so no change is missed. */
  static async open(
    jobId: string,
    after: number,
    deps: { executor: Executor; store: JobStore; live: LiveFeeds },
  ): Promise<JobLogStream> {
    const stream = new JobLogStream(jobId, Math.max(0, after), deps.store, deps.live);
    stream.onClose(deps.live.onJobLogs(jobId, (batch) => stream.#onLive(batch)));
    stream.onClose(
      deps.live.onJob(jobId, ({ job }) => {
        if (isFinal(job.status)) stream.#onEnded();
      }),
    );
    stream.onClose(
      deps.live.onResync(() => {
        // Lines and the job's end may have been missed: the store has both.
        stream.#fallBehind(false);
        void deps.executor.get(jobId).then(
          (job) => job && isFinal(job.status) && stream.#onEnded(),
          () => undefined,
        );
      }),
    );
    stream.onClose(deps.live.track(stream));
    try {
      const job = await deps.executor.get(jobId);
      if (!job) throw new NotFoundError('job', jobId);
      if (isFinal(job.status)) stream.#onEnded();
    } catch (error) {
      stream.close();
      throw error;
    }
    return stream;
  }

  #onLive(batch: LogBatch): void {
    if (this.#readStore || this.closed) return; // the store has these lines; they are read from there
    const tail = this.#queued.at(-1)?.cursor ?? this.#cursor;
    if (batch.cursor <= tail) return;
    const first = batch.lines[0]!.seq;
    if (first > tail + 1) return this.#fallBehind(false);
    const fresh =
      first === tail + 1
        ? batch
        : {
            jobId: batch.jobId,
            lines: batch.lines.filter((l) => l.seq > tail),
            cursor: batch.cursor,
          };
    if (this.#queuedLines + fresh.lines.length > this.live.limits.maxPendingLines)
      return this.#fallBehind(true);
    this.#queued.push(fresh);
    this.#queuedLines += fresh.lines.length;
    this.live.notePending(this.#queuedLines);
    this.notify();
  }

  #onEnded(): void {
    this.#ended = true;
    this.notify();
  }

  /** Drops what is queued (it is all stored) and reads from the cursor on. */
  #fallBehind(overflow: boolean): void {
    if (overflow) this.live.stats.logOverflows++;
    this.#queued = [];
    this.#queuedLines = 0;
    this.#readStore = true;
    this.notify();
  }

  protected async produce(): Promise<LogBatch | undefined> {
    const { maxBatchLines } = this.live.limits;
    for (;;) {
      if (this.closed) return undefined;
      if (this.#readStore) {
        // Cleared before reading: a live batch that arrives meanwhile is compared with the cursor
        // after this page, and anything that does not continue it sends us back here.
        this.#readStore = false;
        const ended = this.#ended; // known before the read, so the read sees every line
        this.live.stats.logStoreReads++;
        const lines = await this.store.logLines(this.jobId, this.#cursor, maxBatchLines);
        if (this.closed) return undefined;
        if (lines.length === maxBatchLines) this.#fallBehind(false);
        else this.#dropQueuedUpTo(lines.at(-1)?.seq ?? this.#cursor);
        if (lines.length > 0) return this.#send(lines);
        // The job is over and the store has nothing newer: everything was sent.
        if (ended && this.#queued.length === 0) return undefined;
        continue;
      }
      if (this.#queued.length > 0) return this.#takeQueued(maxBatchLines);
      if (this.#ended) {
        this.#readStore = true; // one last look, after the end, before completing
        continue;
      }
      await this.waitForChange();
    }
  }

  #send(lines: readonly LogLine[]): LogBatch {
    this.#cursor = lines.at(-1)!.seq;
    return { jobId: this.jobId, lines, cursor: this.#cursor };
  }

  /** Live batches queued while a page was read may overlap it: keep only what continues it. */
  #dropQueuedUpTo(seq: number): void {
    const kept: LogBatch[] = [];
    let count = 0;
    for (const batch of this.#queued) {
      if (batch.cursor <= seq) continue;
      const part =
        batch.lines[0]!.seq > seq
          ? batch
          : {
              jobId: batch.jobId,
              lines: batch.lines.filter((l) => l.seq > seq),
              cursor: batch.cursor,
            };
      kept.push(part);
      count += part.lines.length;
    }
    this.#queued = kept;
    this.#queuedLines = count;
    if (kept.length > 0 && kept[0]!.lines[0]!.seq !== seq + 1) this.#fallBehind(false);
  }

  /**
   * Each live batch is sent as it was published: one event per batch the job's log sink stored
   * (it coalesces a job's lines over `log.batchMs`), and the very object every subscriber gets,
   * so its GraphQL result is computed once for all of them. Merging queued batches would save a
   * frame per batch but cost every lagging subscriber an execution of its own. Only a batch larger
   * than `maxBatchLines` is cut.
   */
  #takeQueued(maxBatchLines: number): LogBatch {
    const head = this.#queued[0]!;
    if (head.lines.length <= maxBatchLines) {
      this.#queued.shift();
      this.#queuedLines -= head.lines.length;
      this.#cursor = head.cursor;
      return head;
    }
    const lines = head.lines.slice(0, maxBatchLines);
    this.#queued[0] = {
      jobId: head.jobId,
      lines: head.lines.slice(maxBatchLines),
      cursor: head.cursor,
    };
    this.#queuedLines -= lines.length;
    return this.#send(lines);
  }
}
