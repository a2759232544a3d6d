import { LimitExceededError } from '../../errors.js';
import type { Executor } from '../../jobs/executor.js';
import { isFinal, type Job, type JobStatus } from '../../jobs/job.js';
import { jobIdTimePrefix } from '../../jobs/job-id.js';
import type { JobStatusEvent, LiveFeeds } from './live-feeds.js';
import { LiveStream } from './live-stream.js';
import { isLaterStatus } from './status-order.js';

/** What the stream reads from the store to catch up after lost live events. */
export type JobEventsReader = Pick<Executor, 'get' | 'list'>;

/** Margin for the clocks of other processes, whose job ids carry their own time. */
const CLOCK_MARGIN_MS = 5_000;
/** Jobs read per page when catching up. */
const PAGE = 200;

/**
 * `jobEvents`: every job's changes. Unsent events are kept per job, the newest replacing an older
 * one of the same job (so a subscriber that lags sees each job's latest state, in the order the
 * jobs first changed). More than `maxPendingJobs` jobs waiting to be sent means the client is not
 * reading at all: it is closed with an error rather than buffered without end.
 *
 * In cluster mode other processes' events come through Redis, which loses what is published
 * while it is away. After a reconnect the stream reads the store for the jobs whose changes it
 * may have missed: the ones it last saw unfinished (and those unfinished when it opened), and the
 * ones submitted since shortly before it last heard anything. Each is sent when its status moved
 * on from what this subscriber last got; the status it knows of each job is kept for at most
 * `maxPendingJobs` jobs.
 */
export class JobEventsStream extends LiveStream<JobStatusEvent> {
  readonly #pending = new Map<string, JobStatusEvent>();
  /** The latest status this subscriber got (or has pending) of each job, oldest entry first. */
  readonly #known = new Map<string, JobStatus>();
  #overflowed = false;
  #heardAt = Date.now();
  #catchingUp: Promise<void>;

  constructor(
    private readonly live: LiveFeeds,
    private readonly jobs?: JobEventsReader,
  ) {
    super();
    this.onClose(live.onJob(null, (event) => this.#push(event)));
    this.onClose(live.onResync(() => void this.#catchUp()));
    this.onClose(live.track(this));
    // Jobs unfinished now are the ones whose changes a later outage could hide from this stream.
    this.#catchingUp = jobs ? this.#readUnfinished(jobs) : Promise.resolve();
  }

  async #readUnfinished(jobs: JobEventsReader): Promise<void> {
    const unfinished = await jobs
      .list({ statuses: ['WAITING', 'RUNNING'], limit: this.live.limits.maxPendingJobs })
      .catch(() => [] as Job[]);
    for (const job of unfinished) if (!this.#known.has(job.id)) this.#remember(job);
  }

  #remember(job: Job): void {
    const before = this.#known.get(job.id);
    this.#known.delete(job.id);
    this.#known.set(job.id, isLaterStatus(job.status, before) ? job.status : before!);
    if (this.#known.size > this.live.limits.maxPendingJobs) {
      const oldest = this.#known.keys().next();
      if (!oldest.done) this.#known.delete(oldest.value);
    }
  }

  #push(event: JobStatusEvent, fromStore = false): void {
    if (!fromStore) this.#heardAt = Date.now();
    const id = event.job.id;
    if (!isLaterStatus(event.job.status, this.#known.get(id)) && fromStore) return;
    this.#remember(event.job);
    if (!this.#pending.has(id) && this.#pending.size >= this.live.limits.maxPendingJobs) {
      this.#overflowed = true;
      this.#pending.clear();
    } else if (!this.#overflowed) {
      this.#pending.set(id, event);
    }
    this.notify();
  }

  #catchUp(): Promise<void> {
    const jobs = this.jobs;
    if (!jobs) return Promise.resolve();
    this.#catchingUp = this.#catchingUp
      .then(async () => {
        const since = jobIdTimePrefix(this.#heardAt - CLOCK_MARGIN_MS);
        const watched = [...this.#known].filter(([, status]) => !isFinal(status));
        for (const [id] of watched) {
          if (this.closed) return;
          const job = await jobs.get(id);
          if (job) this.#push({ change: 'STATUS', job }, true);
        }
        let beforeId: string | undefined;
        for (let read = 0; read * PAGE < this.live.limits.maxPendingJobs; read++) {
          const page = await jobs.list({ limit: PAGE, ...(beforeId ? { beforeId } : {}) });
          for (const job of page) {
            if (job.id < since || this.closed) return;
            this.#push({ change: 'STATUS', job }, true);
          }
          if (page.length < PAGE) return;
          beforeId = page.at(-1)!.id;
        }
      })
      .catch(() => undefined);
    return this.#catchingUp;
  }

  protected async produce(): Promise<JobStatusEvent | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      if (this.#overflowed) {
        throw new LimitExceededError(
          `this jobEvents subscriber fell behind by more than ${this.live.limits.maxPendingJobs} jobs and was closed; subscribe again and query jobs to catch up`,
        );
      }
      const first = this.#pending.entries().next();
      if (!first.done) {
        const [id, event] = first.value;
        this.#pending.delete(id);
        return event;
      }
      await this.waitForChange();
    }
  }
}
