import type { AppEvents, JobChange } from '../../events/app-events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Job, LogLine } from '../../jobs/job.js';
import { markShared, type Shareable } from './shared-event.js';

/** A batch of a job's log lines as subscriptions send it: `cursor` is the seq to resume after. */
export interface LogBatch {
  readonly jobId: string;
  readonly lines: readonly LogLine[];
  /** The seq of the last line sent so far (resume with `after: cursor`). */
  readonly cursor: number;
}

/** `CURRENT` is the state a subscription starts with; the others are the executor's changes. */
export type JobEventChange = 'CURRENT' | JobChange;

export interface JobStatusEvent {
  readonly change: JobEventChange;
  readonly job: Job;
}

/** The bounds every live stream keeps to. */
export interface LiveLimits {
  /** Most lines in one `jobLogs` event. */
  maxBatchLines: number;
  /** Most live lines one `jobLogs` subscriber may hold unsent; past this it reads from the store instead. */
  maxPendingLines: number;
  /** Most jobs one `jobEvents` subscriber may hold unsent events for; past this it is closed with an error. */
  maxPendingJobs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxBatchLines: 2000,
  maxPendingLines: 20_000,
  maxPendingJobs: 5000,
};

type Listener<E> = (event: E) => void;

/** What the streams have done so far: for tests, benchmarks and the curious. */
export interface LiveStats {
  openStreams: number;
  /** Times a `jobLogs` subscriber fell behind by more than `maxPendingLines` and went to the store. */
  logOverflows: number;
  /** Pages of log lines read from the store. */
  logStoreReads: number;
  /** The most live lines any `jobLogs` subscriber held unsent at once. */
  maxPendingLinesSeen: number;
}

interface Closable {
  close(): void;
}

/**
 * Listens to the bus once and hands each job's events and log batches to the streams of that job.
 * Every bus event becomes one shared, immutable event object, so subscribers that keep up all
 * receive the same object (and GraphQL results can be shared, see `shared-event.ts`).
 */
export class LiveFeeds {
  readonly #logListeners = new Map<string, Set<Listener<LogBatch & Shareable>>>();
  readonly #jobListeners = new Map<string, Set<Listener<JobStatusEvent & Shareable>>>();
  readonly #allJobListeners = new Set<Listener<JobStatusEvent & Shareable>>();
  readonly #resyncListeners = new Set<() => void>();
  readonly #streams = new Set<Closable>();
  readonly #off: (() => void)[];
  #closed = false;
  readonly stats: LiveStats = {
    openStreams: 0,
    logOverflows: 0,
    logStoreReads: 0,
    maxPendingLinesSeen: 0,
  };

  constructor(
    bus: EventBus<AppEvents>,
    readonly limits: LiveLimits = DEFAULT_LIVE_LIMITS,
  ) {
    this.#off = [
      bus.on('jobLogs', ({ jobId, lines }) => {
        const listeners = this.#logListeners.get(jobId);
        const last = lines[lines.length - 1];
        if (!listeners || !last) return;
        const batch = markShared<LogBatch>({ jobId, lines, cursor: last.seq });
        for (const listener of [...listeners]) listener(batch);
      }),
      bus.on('job', ({ change, job }) => {
        const listeners = this.#jobListeners.get(job.id);
        if (!listeners && this.#allJobListeners.size === 0) return;
        const event = markShared<JobStatusEvent>({ change, job });
        for (const listener of [...(listeners ?? [])]) listener(event);
        for (const listener of [...this.#allJobListeners]) listener(event);
      }),
      bus.on('liveResync', () => {
        for (const listener of [...this.#resyncListeners]) listener();
      }),
    ];
  }

  get closed(): boolean {
    return this.#closed;
  }

  onJobLogs(jobId: string, listener: Listener<LogBatch & Shareable>): () => void {
    return addTo(this.#logListeners, jobId, listener);
  }

  /** One job's events, or every job's with `jobId` null. */
  onJob(jobId: string | null, listener: Listener<JobStatusEvent & Shareable>): () => void {
    if (jobId !== null) return addTo(this.#jobListeners, jobId, listener);
    this.#allJobListeners.add(listener);
    return () => this.#allJobListeners.delete(listener);
  }

  /** Live events may have been lost (cluster mode, a Redis reconnect): read the store again. */
  onResync(listener: () => void): () => void {
    this.#resyncListeners.add(listener);
    return () => this.#resyncListeners.delete(listener);
  }

  /** Registers an open stream so that `close()` can end it; returns the function that forgets it. */
  track(stream: Closable): () => void {
    if (this.#closed) {
      stream.close();
      return () => {};
    }
    this.#streams.add(stream);
    this.stats.openStreams = this.#streams.size;
    return () => {
      this.#streams.delete(stream);
      this.stats.openStreams = this.#streams.size;
    };
  }

  notePending(lines: number): void {
    if (lines > this.stats.maxPendingLinesSeen) this.stats.maxPendingLinesSeen = lines;
  }

  /** Ends every open stream (their subscriptions complete) and stops listening to the bus. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#off) off();
    for (const stream of [...this.#streams]) stream.close();
  }
}

function addTo<E>(
  map: Map<string, Set<Listener<E>>>,
  key: string,
  listener: Listener<E>,
): () => void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}
