import { LimitExceededError } from '../errors.js';
import type { ResolvedStep } from '../pipeline/validate-spec.js';
import type { Job } from './job.js';

/** A stored WAITING job and the component versions its steps were resolved against. */
export interface QueuedJob {
  readonly job: Job;
  readonly steps: readonly ResolvedStep[];
}

/** A place in the queue held for a job while it is being stored. */
export interface QueueReservation {
  /** The job is stored: it takes its place (in the order `fill` is called). */
  fill(entry: QueuedJob): void;
  /** The job was not stored after all. */
  release(): void;
}

/**
 * The jobs waiting for a slot, oldest first, at most `limit` of them. A submission reserves its
 * place before it is stored, synchronously, so concurrent submissions cannot all pass the check
 * while the store is being written and overfill the queue.
 */
export class JobQueue {
  readonly #entries: QueuedJob[] = [];
  #reserved = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.#entries.length;
  }

  /** Throws LimitExceededError when the waiting jobs and the ones being stored reach the limit. */
  reserve(): QueueReservation {
    const held = this.#entries.length + this.#reserved;
    if (held >= this.limit) {
      throw new LimitExceededError(
        `too many jobs waiting (${held}, the limit is ${this.limit}, server.json jobs.maxQueuedJobs); try again when some have run`,
      );
    }
    this.#reserved += 1;
    let open = true;
    const close = () => {
      if (!open) return false;
      open = false;
      this.#reserved -= 1;
      return true;
    };
    return {
      fill: (entry) => {
        if (close()) this.#entries.push(entry);
      },
      release: () => void close(),
    };
  }

  /** Queues a job found WAITING in the store at start-up (no limit: it is already stored). */
  restore(entry: QueuedJob): void {
    this.#entries.push(entry);
  }

  /** The oldest waiting job, taken off the queue. */
  take(): QueuedJob | undefined {
    return this.#entries.shift();
  }

  /** Takes a waiting job off the queue (it is being cancelled). */
  remove(id: string): QueuedJob | undefined {
    const at = this.#entries.findIndex((e) => e.job.id === id);
    return at < 0 ? undefined : this.#entries.splice(at, 1)[0];
  }

  find(id: string): QueuedJob | undefined {
    return this.#entries.find((e) => e.job.id === id);
  }

  /** Empties the queue (shutdown). */
  drain(): QueuedJob[] {
    return this.#entries.splice(0);
  }
}
