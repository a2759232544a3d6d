import type { Logger } from 'pino';
import { sleep } from '../abort.js';
import type { AppEvents } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { SharedQueue } from '../jobs/executor.js';
import type { JobStore } from '../jobs/job-store.js';
import { isFinal, type Job } from '../jobs/job.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../retry-policy.js';
import { ProcessGoneError, type JobClaims } from './job-claims.js';

/** What the queue needs of the executor: its free slots, and somewhere to run what it claimed. */
export interface ClaimingExecutor {
  readonly freeSlots: number;
  readonly runningCount: number;
  runClaimed(jobs: readonly Job[]): Promise<void>;
  cancel(id: string, reason: string): Promise<Job>;
}

export interface ClusterQueueDeps {
  processId: string;
  executor: ClaimingExecutor;
  jobs: JobStore;
  bus: EventBus<AppEvents>;
  logger: Logger;
  /** How often the store is looked at when nothing here asked (other processes' submissions). */
  pollMs: number;
  /** How long a cancel of a job on another process waits for it to end before answering. */
  cancelWaitMs: number;
  /** A claim found this process's row gone (it was pruned as dead): the loop has stopped. */
  onProcessGone(): void;
}

/**
 * The executor's queue in cluster mode: one loop per process claims jobs from the store whenever
 * a slot is free (woken at once by a submission or a finished run here, and every `pollMs` for
 * the others'), and acts on cancels other processes stored for the jobs it runs.
 */
export class ClusterQueue implements SharedQueue {
  #claims: JobClaims | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;
  readonly #cancelling = new Set<string>();
  /** Claim transactions run (for tests and the benchmark). */
  claimRounds = 0;

  constructor(private readonly deps: ClusterQueueDeps) {}

  start(claims: JobClaims): void {
    this.#claims = claims;
    this.#loop = this.#run();
  }

  /** Claims nothing more; resolves once a claim under way has been handed to the executor. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#nudge();
    await this.#loop;
  }

  submitted(): void {
    this.#nudge();
  }

  slotFreed(): void {
    this.#nudge();
  }

  async cancel(id: string, reason: string): Promise<Job | undefined> {
    const outcome = await this.#claims!.cancel(id, reason);
    switch (outcome.kind) {
      case 'missing':
        return undefined;
      case 'final':
        return outcome.job;
      case 'ended':
        this.deps.bus.emit('job', { change: 'STATUS', job: outcome.job });
        this.deps.logger.info({ jobId: id, status: 'CANCELLED' }, 'job ended');
        return outcome.job;
      case 'requested': {
        // The process running it looks for requests every pollMs, then aborts it as a local cancel does.
        const deadline = Date.now() + this.deps.cancelWaitMs;
        for (;;) {
          const job = await this.deps.jobs.get(id);
          if (!job || isFinal(job.status) || Date.now() > deadline) return job;
          await sleep(Math.min(100, this.deps.pollMs));
        }
      }
    }
  }

  #nudge(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      let more = false;
      try {
        more = await this.#claimOnce();
        await this.#actOnCancels();
        failures = 0;
      } catch (error) {
        if (error instanceof ProcessGoneError) {
          this.#stopping = true;
          this.deps.onProcessGone();
          return;
        }
        failures++;
        this.deps.logger.warn({ err: error, failures }, 'claiming jobs from the store failed');
        await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, Math.min(failures, 6)));
        continue;
      }
      if (!more) await this.#nap();
    }
  }

  /** True when every free slot was filled: there may be more to claim at once. */
  async #claimOnce(): Promise<boolean> {
    this.#woken = false;
    const free = this.deps.executor.freeSlots;
    if (free === 0) return false;
    this.claimRounds++;
    const jobs = await this.#claims!.claim(this.deps.processId, free);
    if (jobs.length > 0) await this.deps.executor.runClaimed(jobs);
    return jobs.length === free && !this.#stopping;
  }

  async #actOnCancels(): Promise<void> {
    if (this.deps.executor.runningCount === 0) return;
    for (const { jobId, reason } of await this.#claims!.requestsFor(this.deps.processId)) {
      if (this.#cancelling.has(jobId)) continue;
      this.#cancelling.add(jobId);
      this.deps.executor.cancel(jobId, reason).then(
        () => this.#cancelling.delete(jobId),
        (error: unknown) => {
          this.#cancelling.delete(jobId);
          this.deps.logger.warn({ err: error, jobId }, 'a cancel asked for elsewhere failed');
        },
      );
    }
  }

  async #nap(): Promise<void> {
    if (this.#woken || this.#stopping) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.deps.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = undefined;
  }
}
