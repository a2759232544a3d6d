import { NotFoundError } from '../../errors.js';
import type { Executor } from '../../jobs/executor.js';
import { isFinal, type JobStatus } from '../../jobs/job.js';
import type { JobStatusEvent, LiveFeeds } from './live-feeds.js';
import { LiveStream } from './live-stream.js';
import { isLaterStatus } from './status-order.js';

/**
 * `jobStatus`: the job's current state first, then each change, ending after the final status.
 * A queued PROGRESS event is replaced by any newer event (which carries all of its information),
 * so a slow client gets every status change and the latest progress, and the queue stays tiny.
 *
 * In cluster mode the events of a job on another process come through Redis, which may lose some
 * while it is away: after a reconnect the stream reads the job again and sends its state when the
 * status moved on, so the final one is never missed.
 */
export class JobStatusStream extends LiveStream<JobStatusEvent> {
  #queue: JobStatusEvent[] = [];
  #ended = false;
  /** The latest status queued or sent. */
  #status: JobStatus | undefined;

  /** Throws NotFoundError for an unknown job. Listens before looking, so no change is missed. */
  static async open(
    jobId: string,
    deps: { executor: Executor; live: LiveFeeds },
  ): Promise<JobStatusStream> {
    const stream = new JobStatusStream();
    stream.onClose(deps.live.onJob(jobId, (event) => stream.#push(event)));
    stream.onClose(
      deps.live.onResync(() => {
        void deps.executor.get(jobId).then(
          (job) => {
            if (job && isLaterStatus(job.status, stream.#status))
              stream.#push({ change: 'STATUS', job });
          },
          () => undefined,
        );
      }),
    );
    stream.onClose(deps.live.track(stream));
    try {
      // An active job's state is taken when `get` is called, so every event queued from here on is newer.
      const job = await deps.executor.get(jobId);
      if (!job) throw new NotFoundError('job', jobId);
      stream.#queue.unshift({ change: 'CURRENT', job });
      if (isLaterStatus(job.status, stream.#status)) stream.#status = job.status;
    } catch (error) {
      stream.close();
      throw error;
    }
    return stream;
  }

  #push(event: JobStatusEvent): void {
    if (isLaterStatus(event.job.status, this.#status)) this.#status = event.job.status;
    const tail = this.#queue.at(-1);
    if (tail && tail.change === 'PROGRESS') this.#queue[this.#queue.length - 1] = event;
    else this.#queue.push(event);
    this.notify();
  }

  protected async produce(): Promise<JobStatusEvent | undefined> {
    for (;;) {
      if (this.closed || this.#ended) return undefined;
      const event = this.#queue.shift();
      if (event) {
        if (isFinal(event.job.status)) this.#ended = true;
        return event;
      }
      await this.waitForChange();
    }
  }
}
