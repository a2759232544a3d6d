import { LimitExceededError } from '../../errors.js';
import type { JobStatusEvent, LiveFeeds } from './live-feeds.js';
import { LiveStream } from './live-stream.js';

/**
 * `jobEvents`: every job's changes. Unsent events are kept per job, the newest replacing an older
 * one of the same job (so a subscriber that lags sees each job's latest state, in the order the
 * jobs first changed). More than `maxPendingJobs` jobs waiting to be sent means the client is not
 * reading at all: it is closed with an error rather than buffered without end.
 */
export class JobEventsStream extends LiveStream<JobStatusEvent> {
  readonly #pending = new Map<string, JobStatusEvent>();
  #overflowed = false;

  constructor(private readonly live: LiveFeeds) {
    super();
    this.onClose(live.onJob(null, (event) => this.#push(event)));
    this.onClose(live.track(this));
  }

  #push(event: JobStatusEvent): void {
    const id = event.job.id;
    if (!this.#pending.has(id) && this.#pending.size >= this.live.limits.maxPendingJobs) {
      this.#overflowed = true;
      this.#pending.clear();
    } else if (!this.#overflowed) {
      this.#pending.set(id, event);
    }
    this.notify();
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
