import type { Logger } from 'pino';
import { sleep } from '../abort.js';
import type { ComponentServices } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import { ConflictError, JobCancelledError, NotFoundError, type Problem } from '../errors.js';
import type { AppEvents, JobChange } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobLogSink } from '../logs/job-log-sink.js';
import type { JobScopes } from '../logs/job-scope.js';
import type { JobSpec } from '../pipeline/job-spec.js';
import { parseOriginalDocument, parseStepList, type ParsedSpec } from '../pipeline/parse-spec.js';
import {
  validateJobSpec,
  type ResolvedStep,
  type SpecValidation,
} from '../pipeline/validate-spec.js';
import { PartitionTakenError, ShuttingDownError, type JobFaultError } from './errors.js';
import { isFinal, partitionOwner, type Job, type JobOrigin, type StepState } from './job.js';
import { JobQueue, type QueuedJob } from './job-queue.js';
import { JobRun } from './job-run.js';
import { JobState } from './job-state.js';
import { JobStateWriter } from './job-state-writer.js';
import type { JobListFilter, JobStore } from './job-store.js';
import { snapshotJob } from './snapshot.js';
import { checkSpecSize, type SpecSizeLimits } from './spec-size.js';
import { STORED_TEXT_LIMITS, truncateText } from './stored-text.js';

/** The error of a job found RUNNING at start-up: the server stopped (or crashed) under it. */
export const INTERRUPTED_REASON = 'interrupted: the server stopped while this job was running';

/** A spec in either input form: the original JSON document, or the typed list of steps. */
export type SpecInput = { document: unknown } | { steps: unknown };

export interface SubmitOptions {
  origin?: JobOrigin;
  /** Overrides the configured default; null for none. */
  timeoutMs?: number | null;
  retryOf?: string | null;
  /** The same key again returns the job it created instead of a second one. */
  idempotencyKey?: string | null;
  /** The trading day the job's data is for (YYYY-MM-DD). */
  partition?: string | null;
  /**
   * A schedule's job (origin SCHEDULE, BACKFILL or its RETRY) for a partition that a finished
   * job already holds runs anyway, taking the partition over.
   */
  force?: boolean;
}

export type SubmitResult = { ok: true; job: Job } | { ok: false; problems: Problem[] };

export interface ExecutorLimits {
  maxConcurrentJobs: number;
  maxQueuedJobs: number;
  defaultTimeoutMs: number | null;
  /** Steps and argument bytes of one spec (spec-size.ts); unlimited when absent. */
  specSize?: SpecSizeLimits;
  /** How long a job's steps may go on after its signal is aborted (default 5 s). */
  abortGraceMs?: number;
  /** Batches held between a streaming step and each successor (default 4). */
  batchesInFlightPerEdge?: number;
}

export interface ExecutorDeps {
  store: JobStore;
  bus: EventBus<AppEvents>;
  registry: ComponentRegistry;
  scopes: JobScopes;
  logger: Logger;
  services: ComponentServices;
  newSink(jobId: string, startSeq: number): JobLogSink;
  newId(): string;
  limits: ExecutorLimits;
  /** Least time between two PROGRESS events of one job. */
  progressIntervalMs?: number;
  /** Checks the spec's component arguments against the configuration (sources, targets). */
  validate?: (parsed: ParsedSpec) => SpecValidation;
}

/**
 * Cluster mode (src/cluster): jobs wait in the control store, where every process claims them,
 * instead of in this process's queue. Absent, the executor queues in memory as it always has.
 */
export interface SharedQueue {
  /** A job was stored WAITING: a process with a free slot will claim it. */
  submitted(): void;
  /** A slot here became free: claim more. */
  slotFreed(): void;
  /**
   * Cancels a job this process neither queues nor runs: waiting unclaimed, or running on another
   * process. Resolves with its state once it ended (or the wait gave up), undefined if unknown.
   */
  cancel(id: string, reason: string): Promise<Job | undefined>;
}

/** What the executor has seen, for health, metrics and tests. */
export interface ExecutorStats {
  /** Jobs that ended while a step still ran past the abort grace, ignoring its signal. */
  abortIgnored: number;
}

const STEP_WAITING = (step: ResolvedStep): StepState => ({
  name: step.spec.name,
  componentName: step.spec.componentClassName,
  kind: step.loaded.component.kind,
  status: 'WAITING',
  rowsIn: null,
  rowsOut: null,
  startedAt: null,
  finishedAt: null,
  error: null,
  result: null,
  progress: [],
});

/**
 * Runs jobs: at most `maxConcurrentJobs` at once, the rest waiting in submission order in the
 * queue. Each run is a JobRun (job-run.ts); the executor submits, queues, starts, cancels,
 * recovers and shuts down, and frees a job's slot only once its run is over. Every state is
 * stored (JobStateWriter) before it is published on the bus.
 */
export class Executor {
  readonly #queue: JobQueue;
  readonly #running = new Map<string, JobRun>();
  readonly #writer: JobStateWriter;
  #accepting = true;
  #shared: SharedQueue | undefined;
  #fence: string | undefined;
  /** Jobs dropped by `abandonAll`: nothing more of theirs is published from here. */
  readonly #abandoned = new Set<string>();
  readonly stats: ExecutorStats = { abortIgnored: 0 };

  constructor(private readonly deps: ExecutorDeps) {
    this.#queue = new JobQueue(deps.limits.maxQueuedJobs);
    this.#writer = new JobStateWriter({
      store: {
        update: (job) =>
          this.#fence === undefined
            ? deps.store.update(job)
            : deps.store.updateClaimed(job, this.#fence),
      },
      logger: deps.logger,
      // The store says the job is over (another process failed it): stop its work here too.
      onFenced: (job) =>
        this.#running
          .get(job.id)
          ?.abort(new JobCancelledError('this process no longer holds the job')),
    });
  }

  /**
   * Cluster mode: from now on jobs are queued in the store and claimed (before `recover`), and
   * their states are written only while `processId` holds them.
   */
  useSharedQueue(queue: SharedQueue, processId: string): void {
    this.#shared = queue;
    this.#fence = processId;
  }

  /**
   * Cluster mode, when the others took this process for dead: its claimed jobs went back to the
   * queue and its running ones were failed, so the waiting ones are dropped unstarted and the
   * running ones aborted (their writes are fenced off; nothing here is stored or published).
   */
  abandonAll(reason: string): void {
    for (const queued of this.#queue.drain()) this.#abandoned.add(queued.job.id);
    for (const [id, run] of this.#running) {
      this.#abandoned.add(id);
      run.abort(new JobCancelledError(reason));
    }
  }

  /** Slots neither running nor promised to a queued job: how many jobs this process may claim. */
  get freeSlots(): number {
    if (!this.#accepting) return 0;
    return Math.max(0, this.deps.limits.maxConcurrentJobs - this.#running.size - this.#queue.size);
  }

  /**
   * Jobs this process claimed from the shared queue: validated against today's components (one
   * that no longer validates fails with the reason) and started.
   */
  async runClaimed(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) {
      const validation = this.#validate(parseStepList(job.spec.steps));
      if (!validation.ok) {
        const problems = validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
        await this.#endWaiting(
          { job, steps: [] },
          `the job's spec is no longer valid: ${problems}`,
          'FAILED',
        );
        continue;
      }
      this.#queue.restore({ job, steps: validation.steps });
    }
    this.#pump();
  }

  get runningCount(): number {
    return this.#running.size;
  }

  get waitingCount(): number {
    return this.#queue.size;
  }

  /** Job state saves given up on (the store was away too long, or refused the row twice). */
  get stateSaveFailures(): number {
    return this.#writer.failures;
  }

  /** Validates the spec against the current components and queues the job. */
  async submit(input: SpecInput, options: SubmitOptions = {}): Promise<SubmitResult> {
    if (!this.#accepting) throw new ShuttingDownError();
    const key = options.idempotencyKey ?? null;
    if (key !== null) {
      const existing = await this.deps.store.getByIdempotencyKey(key);
      if (existing) return { ok: true, job: this.#live(existing) };
    }
    if (this.deps.limits.specSize) checkSpecSize(input, this.deps.limits.specSize);
    const parsed: ParsedSpec =
      'document' in input ? parseOriginalDocument(input.document) : parseStepList(input.steps);
    const validation = this.#validate(parsed);
    if (!validation.ok) return { ok: false, problems: validation.problems };
    const reservation = this.#queue.reserve();
    const timeoutMs =
      options.timeoutMs === undefined ? this.deps.limits.defaultTimeoutMs : options.timeoutMs;
    const job: Job = {
      id: this.deps.newId(),
      status: 'WAITING',
      spec: validation.spec,
      origin: options.origin ?? { type: 'ADHOC', name: null },
      submittedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      error: null,
      steps: validation.steps.map(STEP_WAITING),
      retryOf: options.retryOf ?? null,
      timeoutMs,
      logCount: 0,
      idempotencyKey: key,
      partition: options.partition ?? null,
    };
    try {
      const outcome = await this.#insert(job, options.force === true);
      if (outcome === 'idempotency-key-taken') {
        // Another submission with the same key was stored first: that one is the job.
        reservation.release();
        const winner = key === null ? undefined : await this.deps.store.getByIdempotencyKey(key);
        if (!winner) throw new Error(`job ${job.id} was not stored, and no job has its key`);
        return { ok: true, job: this.#live(winner) };
      }
    } catch (error) {
      reservation.release();
      throw error;
    }
    if (this.#shared) {
      // The store is the queue: whichever process has a free slot claims the job.
      reservation.release();
      this.#publish(job, 'STATUS');
      this.#shared.submitted();
      return { ok: true, job: snapshotJob(job) };
    }
    reservation.fill({ job, steps: validation.steps });
    this.#publish(job, 'STATUS');
    const submitted = snapshotJob(job);
    this.#pump();
    return { ok: true, job: submitted };
  }

  /**
   * Stores the job; for a schedule's partition, the store's unique key decides. Throws
   * PartitionTakenError when a live or finished job holds the partition (a forced run takes it
   * from a finished one).
   */
  async #insert(job: Job, force: boolean): Promise<'inserted' | 'idempotency-key-taken'> {
    const owner = partitionOwner(job);
    for (let attempt = 1; ; attempt++) {
      if (owner !== null && force)
        await this.deps.store.releaseFinishedPartition(owner, job.partition!);
      const outcome = await this.deps.store.insert(job);
      if (outcome !== 'partition-taken') return outcome;
      const stored = await this.deps.store.partitionHolder(owner!, job.partition!);
      const holder = stored && this.#live(stored);
      // The holder has just failed here and its state is still being saved: the claim goes with it.
      if (holder && holder.status !== 'FAILED' && holder.status !== 'CANCELLED')
        throw new PartitionTakenError(owner!, job.partition!, holder);
      if (attempt === 3)
        throw new Error(
          `partition ${job.partition} of "${owner}" stays claimed by a job that ended`,
        );
      await sleep(100 * attempt);
    }
  }

  /** A new job with the same spec, linked to the one it retries, its origin RETRY. */
  async retry(id: string): Promise<SubmitResult> {
    const previous = await this.get(id);
    if (!previous) throw new NotFoundError('job', id);
    if (!isFinal(previous.status))
      throw new ConflictError(
        `job ${id} is ${previous.status}; only a finished, failed or cancelled job can be retried`,
      );
    return this.submit(
      { steps: previous.spec.steps },
      {
        origin: { type: 'RETRY', name: previous.origin.name },
        timeoutMs: previous.timeoutMs,
        retryOf: id,
        partition: previous.partition,
      },
    );
  }

  /**
   * A waiting job ends at once; a running one has its signal aborted and is returned once its
   * run is over (its steps stopped, or the abort grace passed). A final job is returned as it is.
   */
  async cancel(id: string, reason = 'cancelled by request'): Promise<Job> {
    const why = truncateText(reason, STORED_TEXT_LIMITS.cancelReason);
    const queued = this.#queue.remove(id);
    if (queued) {
      await this.#endWaiting(queued, why);
      return snapshotJob(queued.job);
    }
    const running = this.#running.get(id);
    if (running) {
      running.abort(new JobCancelledError(why));
      await running.done;
      return snapshotJob(running.job);
    }
    if (this.#shared) {
      const shared = await this.#shared.cancel(id, why);
      if (!shared) throw new NotFoundError('job', id);
      return shared;
    }
    const stored = await this.deps.store.get(id);
    if (!stored) throw new NotFoundError('job', id);
    return stored;
  }

  /**
   * A fault escaped from a job's own code (main.ts's process handlers): a running job fails
   * with it; false when the job is not running here (it ended, or never started).
   */
  failFromFault(id: string, fault: JobFaultError): boolean {
    const run = this.#running.get(id);
    if (!run || run.state.final) return false;
    run.abort(fault);
    return true;
  }

  /** The live state of an active job, or the stored one. */
  async get(id: string): Promise<Job | undefined> {
    const active = this.#active(id);
    if (active) return snapshotJob(active);
    return this.deps.store.get(id);
  }

  /**
   * Stored jobs, newest first, active ones in their live state. A status filter applies to the
   * state returned: a job stored WAITING that has just started is not listed as WAITING.
   */
  async list(filter: JobListFilter): Promise<Job[]> {
    const wanted = filter.statuses && filter.statuses.length > 0 ? new Set(filter.statuses) : null;
    const out: Job[] = [];
    let beforeId = filter.beforeId;
    // Live states rarely differ from stored ones, so one more read almost never happens.
    for (let reads = 0; reads < 5 && out.length < filter.limit; reads++) {
      const page = await this.deps.store.list({ ...filter, beforeId, limit: filter.limit });
      for (const stored of page) {
        const job = this.#live(stored);
        if (!wanted || wanted.has(job.status)) out.push(job);
        if (out.length === filter.limit) break;
      }
      if (page.length < filter.limit) break;
      beforeId = page.at(-1)!.id;
    }
    return out;
  }

  /** A job read from the store, in its live state when it is still active here. */
  live(stored: Job): Job {
    return this.#live(stored);
  }

  #live(stored: Job): Job {
    const active = this.#active(stored.id);
    return active ? snapshotJob(active) : stored;
  }

  #active(id: string): Job | undefined {
    return this.#running.get(id)?.job ?? this.#queue.find(id)?.job;
  }

  /**
   * At start-up: a job found RUNNING was interrupted by a stop or crash and is marked FAILED (its
   * stored lines kept); jobs still WAITING are queued again, against today's components.
   */
  async recover(): Promise<{ interrupted: number; requeued: number }> {
    // Cluster mode: other processes' jobs are theirs; a dead one's are failed by its pruning.
    if (this.#shared) return { interrupted: 0, requeued: 0 };
    const interrupted = await this.deps.store.withStatus('RUNNING');
    for (const job of interrupted) {
      job.logCount = await this.deps.store.lastLogSeq(job.id);
      new JobState(job).interrupt(INTERRUPTED_REASON);
      await this.#writer.save(job);
      this.#publish(job, 'STATUS');
      this.deps.logger.warn(
        { jobId: job.id },
        'job was interrupted by a server stop; marked FAILED',
      );
    }
    const waiting = await this.deps.store.withStatus('WAITING');
    let requeued = 0;
    for (const job of waiting) {
      const validation = this.#validate(parseStepList(job.spec.steps));
      if (!validation.ok) {
        const problems = validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
        await this.#endWaiting(
          { job, steps: [] },
          `the job's spec is no longer valid after a restart: ${problems}`,
          'FAILED',
        );
        continue;
      }
      this.#queue.restore({ job, steps: validation.steps });
      requeued++;
    }
    this.#pump();
    return { interrupted: interrupted.length, requeued };
  }

  /**
   * Stops taking jobs, cancels the waiting ones, lets running ones finish within `graceMs`, then
   * aborts the rest (CANCELLED, reason shutdown) and waits until every run is over.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#accepting = false;
    for (const queued of this.#queue.drain())
      await this.#endWaiting(queued, 'the server shut down before the job started');
    const runs = [...this.#running.values()];
    if (runs.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(runs.map((r) => r.done)), graceOver]);
    clearTimeout(timer);
    for (const run of this.#running.values())
      run.abort(new JobCancelledError('the server is shutting down'));
    await Promise.all(runs.map((r) => r.done));
  }

  #validate(parsed: ParsedSpec): SpecValidation {
    return this.deps.validate
      ? this.deps.validate(parsed)
      : validateJobSpec(parsed, this.deps.registry.snapshot());
  }

  /** A job that never started ends here: CANCELLED (or FAILED) with its reason. */
  async #endWaiting(
    queued: QueuedJob,
    reason: string,
    status: 'CANCELLED' | 'FAILED' = 'CANCELLED',
  ): Promise<void> {
    const { job } = queued;
    if (!new JobState(job).end({ status, error: reason })) return;
    await this.#writer.save(job);
    this.#publish(job, 'STATUS');
    this.deps.logger.info({ jobId: job.id, status, error: job.error }, 'job ended');
  }

  #pump(): void {
    while (this.#accepting && this.#running.size < this.deps.limits.maxConcurrentJobs) {
      const next = this.#queue.take();
      if (!next) return;
      const run = new JobRun(next.job, next.steps, {
        writer: this.#writer,
        publish: (job, change) => this.#publish(job, change),
        scopes: this.deps.scopes,
        logger: this.deps.logger,
        services: this.deps.services,
        newSink: (jobId, startSeq) => this.deps.newSink(jobId, startSeq),
        abortGraceMs: this.deps.limits.abortGraceMs ?? 5000,
        progressIntervalMs: this.deps.progressIntervalMs ?? 200,
        batchesInFlightPerEdge: this.deps.limits.batchesInFlightPerEdge,
        onAbortIgnored: () => {
          this.stats.abortIgnored += 1;
        },
      });
      this.#running.set(next.job.id, run);
      void run.run().then(() => {
        this.#running.delete(next.job.id);
        this.#pump();
        this.#shared?.slotFreed();
      });
    }
  }

  #publish(job: Job, change: JobChange): void {
    // Another process ended it in the store; its state here is not the job's.
    if (this.#writer.fenced(job.id) || this.#abandoned.has(job.id)) return;
    this.deps.bus.emit('job', { change, job: snapshotJob(job) });
  }
}

export type { JobSpec };
