import type { Logger } from 'pino';
import { ConflictError, NotFoundError, ValidationError, errorMessage } from '../../errors.js';
import type { AppEvents } from '../../events/app-events.js';
import type { EventBus } from '../../events/event-bus.js';
import { PartitionTakenError, ShuttingDownError } from '../../jobs/errors.js';
import { INTERRUPTED_REASON, type Executor } from '../../jobs/executor.js';
import { isFinal, type Job, type JobStatus } from '../../jobs/job.js';
import { isStoppedRespondingReason } from '../../cluster/dead-processes.js';
import type { StoredTradingDays } from '../partitions/stored-trading-days.js';
import type { ScheduleDefinition } from '../schedule-file.js';
import type { Backfill, BackfillCounts, BackfillPartition } from './backfill.js';
import { countPartitions } from './backfill-counts.js';
import type { BackfillStore } from './backfill-store.js';

/** The most trading days one backfill may hold: about twenty years. */
export const MAX_BACKFILL_PARTITIONS = 5_000;

export interface BackfillRequest {
  schedule: string;
  from: string;
  to: string;
  force?: boolean;
  maxConcurrent?: number | null;
}

export interface BackfillRunnerDeps {
  store: BackfillStore;
  executor: Pick<Executor, 'submit' | 'get' | 'cancel'>;
  /** A schedule's definition (null when its file is invalid); throws NotFoundError for no such schedule. */
  definitionOf(schedule: string): ScheduleDefinition | null;
  tradingDays: StoredTradingDays;
  bus: EventBus<AppEvents>;
  logger: Logger;
  newId(): string;
  /** Runs at once per backfill unless the request says otherwise: half the executor's slots. */
  defaultMaxConcurrent: number;
  maxConcurrentJobs: number;
  /**
   * Cluster mode: this process's id. A backfill is driven (its partitions submitted) by one
   * process at a time, the one named in its row; another takes it over only once that one is
   * gone (pruned as dead, or stopped).
   */
  driver?: string;
}

interface Active {
  backfill: Backfill;
  /** The latest known status of every job its partitions point at. */
  statuses: Map<string, JobStatus>;
  pumping: Promise<void>;
}

/**
 * Runs backfills: one job per trading day of the range that no live or finished job of the
 * schedule holds (all of them with `force`), at most `maxConcurrent` at once, oldest first. Each
 * change is stored before it is published, so a restart resumes what is left; jobs a stop
 * interrupted run again.
 */
export class BackfillRunner {
  readonly #active = new Map<string, Active>();
  #offJobs: (() => void)[] = [];
  #stopped = false;
  #adopting: Promise<void> = Promise.resolve();
  #started = false;

  constructor(private readonly deps: BackfillRunnerDeps) {}

  /**
   * Resumes the backfills still running when the server last stopped (in cluster mode, only
   * those no live process drives).
   */
  async start(): Promise<void> {
    const { bus } = this.deps;
    this.#offJobs = [
      bus.on('job', ({ job }) => this.#jobChanged(job)),
      // Events of jobs on other processes may have been lost with Redis: read their states.
      bus.on('liveResync', () => void this.#readStatuses()),
    ];
    for (const backfill of await this.deps.store.list(1000, 'RUNNING'))
      await this.#resume(backfill);
    this.#started = true;
  }

  /**
   * Cluster mode, after each heartbeat: takes over the running backfills whose driver is gone.
   * Resolves once those taken are resumed.
   */
  adoptUndriven(): Promise<void> {
    this.#adopting = this.#adopting.then(async () => {
      if (!this.#started || this.#stopped || this.deps.driver === undefined) return;
      for (const id of await this.deps.store.undriven()) {
        if (this.#active.has(id) || this.#stopped) continue;
        const backfill = await this.deps.store.get(id);
        if (backfill?.status === 'RUNNING') await this.#resume(backfill, true);
      }
    });
    return this.#adopting;
  }

  async #resume(backfill: Backfill, adopted = false): Promise<void> {
    const { driver } = this.deps;
    if (driver !== undefined && !(await this.deps.store.take(backfill.id, driver))) return;
    const active: Active = { backfill, statuses: new Map(), pumping: Promise.resolve() };
    for (const p of backfill.partitions) {
      if (p.jobId === null) continue;
      const job = await this.deps.executor.get(p.jobId);
      // A job its process's stop or death ended did not fail by itself: its day runs again.
      const interrupted =
        p.state === 'SUBMITTED' &&
        (!job ||
          (job.status === 'FAILED' &&
            (job.error === INTERRUPTED_REASON || isStoppedRespondingReason(job.error))));
      if (interrupted) await this.#setPartition(active, p, 'PENDING', null);
      else if (job) active.statuses.set(job.id, job.status);
    }
    this.#active.set(backfill.id, active);
    this.deps.logger.info(
      { backfill: backfill.id, ...(driver !== undefined ? { driver } : {}) },
      adopted ? 'backfill taken over from a process that is gone' : 'backfill resumed',
    );
    this.#pump(active);
  }

  async #readStatuses(): Promise<void> {
    for (const active of [...this.#active.values()]) {
      for (const [jobId, status] of [...active.statuses]) {
        if (isFinal(status)) continue;
        const job = await this.deps.executor.get(jobId).catch(() => undefined);
        if (job) this.#jobChanged(job);
      }
    }
  }

  /**
   * Stops submitting. Partitions whose jobs are still live go back to PENDING in the store (the
   * shutdown that follows cancels those jobs), so the next start runs them again.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const off of this.#offJobs.splice(0)) off();
    await this.#adopting;
    for (const active of this.#active.values()) {
      await active.pumping;
      for (const p of active.backfill.partitions) {
        const status = p.jobId === null ? undefined : active.statuses.get(p.jobId);
        if (p.state === 'SUBMITTED' && status !== undefined && !isFinal(status))
          await this.deps.store.setPartition(active.backfill.id, p.partition, 'PENDING', null);
      }
      if (this.deps.driver !== undefined)
        await this.deps.store.release(active.backfill.id, this.deps.driver);
    }
  }

  /**
   * Cluster mode, when this process was taken for dead: it drives nothing more (another process
   * takes its backfills over) and starts none.
   */
  abandon(): void {
    this.#stopped = true;
    this.#active.clear();
  }

  async create(request: BackfillRequest): Promise<Backfill> {
    if (this.#stopped) throw new ShuttingDownError();
    const definition = this.deps.definitionOf(request.schedule);
    if (!definition)
      throw new ConflictError(`schedule "${request.schedule}" is invalid and cannot be backfilled`);
    if (!definition.partitions)
      throw new ValidationError(
        `schedule "${request.schedule}" has no partitions: declare "partitions": { "by": "trading_day" } in its file to backfill it`,
      );
    const { from, to } = request;
    if (from > to) throw new ValidationError(`from (${from}) is after to (${to})`);
    const max = request.maxConcurrent ?? this.deps.defaultMaxConcurrent;
    if (!Number.isInteger(max) || max < 1 || max > this.deps.maxConcurrentJobs)
      throw new ValidationError(
        `maxConcurrent must be between 1 and maxConcurrentJobs (${this.deps.maxConcurrentJobs}), not ${max}`,
      );
    const stored = await this.deps.tradingDays.storedRange();
    if (!stored || stored.first > from || stored.last < to)
      throw new ValidationError(
        `the stored trading calendar covers ${stored ? `${stored.first} to ${stored.last}` : 'no day'}, not all of ${from} to ${to}`,
      );
    const days = await this.deps.tradingDays.tradingDaysBetween(from, to);
    if (days.length === 0) throw new ValidationError(`no trading day from ${from} to ${to}`);
    if (days.length > MAX_BACKFILL_PARTITIONS)
      throw new ValidationError(
        `${days.length} trading days from ${from} to ${to}: at most ${MAX_BACKFILL_PARTITIONS} per backfill`,
      );
    const backfill: Backfill = {
      id: this.deps.newId(),
      schedule: request.schedule,
      from,
      to,
      force: request.force ?? false,
      maxConcurrent: max,
      status: 'RUNNING',
      createdAt: new Date(),
      finishedAt: null,
      error: null,
      partitions: days.map((partition) => ({ partition, state: 'PENDING', jobId: null })),
    };
    await this.deps.store.insert(backfill, this.deps.driver ?? null);
    const active: Active = { backfill, statuses: new Map(), pumping: Promise.resolve() };
    this.#active.set(backfill.id, active);
    this.deps.logger.info(
      { backfill: backfill.id, schedule: backfill.schedule, from, to, partitions: days.length },
      'backfill started',
    );
    this.#publish(active);
    this.#pump(active);
    return structuredClone(backfill);
  }

  /** Waiting runs are cancelled, running ones get their signal; returns once they have ended. */
  async cancel(id: string): Promise<Backfill> {
    const active = this.#active.get(id);
    if (!active) {
      const stored = await this.deps.store.get(id);
      if (!stored) throw new NotFoundError('backfill', id);
      if (this.deps.driver === undefined || stored.status !== 'RUNNING') return stored;
      return this.#cancelElsewhere(stored);
    }
    await this.#finish(active, 'CANCELLED', 'cancelled by request');
    const live = active.backfill.partitions.filter(
      (p) => p.state === 'SUBMITTED' && !isFinal(active.statuses.get(p.jobId!) ?? 'FINISHED'),
    );
    await Promise.all(
      live.map((p) =>
        this.deps.executor
          .cancel(p.jobId!, `backfill ${id} was cancelled`)
          .catch((error: unknown) =>
            this.deps.logger.warn({ jobId: p.jobId, error: errorMessage(error) }, 'cancel failed'),
          ),
      ),
    );
    return structuredClone(active.backfill);
  }

  /**
   * Cluster mode: a backfill another process drives ends in the store (its driver sees that at
   * its next pass and stops), and its live jobs are cancelled wherever they run.
   */
  async #cancelElsewhere(backfill: Backfill): Promise<Backfill> {
    const finishedAt = new Date();
    const error = 'cancelled by request';
    await this.deps.store.setStatus(backfill.id, 'CANCELLED', finishedAt, error);
    Object.assign(backfill, { status: 'CANCELLED', finishedAt, error });
    await Promise.all(
      backfill.partitions
        .filter((p) => p.state === 'SUBMITTED' && p.jobId !== null)
        .map((p) =>
          this.deps.executor
            .cancel(p.jobId!, `backfill ${backfill.id} was cancelled`)
            .catch(() => undefined),
        ),
    );
    this.deps.logger.info(
      { backfill: backfill.id },
      'backfill cancelled (driven by another process)',
    );
    return backfill;
  }

  async get(id: string): Promise<Backfill | undefined> {
    const active = this.#active.get(id);
    return active ? structuredClone(active.backfill) : this.deps.store.get(id);
  }

  list(limit: number): Promise<Backfill[]> {
    return this.deps.store.list(limit);
  }

  /** Counts from the live statuses of an active backfill, else from its jobs as stored. */
  async counts(backfill: Backfill): Promise<BackfillCounts> {
    const active = this.#active.get(backfill.id);
    if (active) return countPartitions(active.backfill.partitions, active.statuses);
    const statuses = new Map<string, JobStatus>();
    for (const p of backfill.partitions) {
      if (p.jobId === null) continue;
      const job = await this.deps.executor.get(p.jobId);
      if (job) statuses.set(job.id, job.status);
    }
    return countPartitions(backfill.partitions, statuses);
  }

  #jobChanged(job: Job): void {
    for (const active of this.#active.values()) {
      if (!active.statuses.has(job.id)) continue;
      const before = active.statuses.get(job.id);
      active.statuses.set(job.id, job.status);
      if (before !== job.status) {
        this.#publish(active);
        if (isFinal(job.status)) this.#pump(active);
      }
    }
  }

  /** One pass at a time per backfill: submissions in order, never more than maxConcurrent live. */
  #pump(active: Active): void {
    active.pumping = active.pumping
      .then(() => this.#fill(active))
      .catch((error: unknown) =>
        this.deps.logger.error({ backfill: active.backfill.id, err: error }, 'backfill failed'),
      );
  }

  async #fill(active: Active): Promise<void> {
    const { backfill } = active;
    const liveOwn = () =>
      backfill.partitions.filter(
        (p) => p.state === 'SUBMITTED' && !isFinal(active.statuses.get(p.jobId!) ?? 'FINISHED'),
      ).length;
    while (!this.#stopped && backfill.status === 'RUNNING' && liveOwn() < backfill.maxConcurrent) {
      const next = backfill.partitions.find((p) => p.state === 'PENDING');
      if (!next) break;
      if (await this.#endedElsewhere(active)) return;
      try {
        const job = await this.#submit(backfill, next.partition);
        active.statuses.set(job.id, job.status);
        await this.#setPartition(active, next, 'SUBMITTED', job.id);
      } catch (error) {
        if (error instanceof PartitionTakenError) {
          active.statuses.set(error.holder.id, error.holder.status);
          await this.#setPartition(active, next, 'SKIPPED', error.holder.id);
          continue;
        }
        if (error instanceof ShuttingDownError) return;
        await this.#finish(active, 'FAILED', `partition ${next.partition}: ${errorMessage(error)}`);
        return;
      }
    }
    if (backfill.status !== 'RUNNING' || this.#stopped) return;
    if (await this.#endedElsewhere(active)) return;
    const counts = countPartitions(backfill.partitions, active.statuses);
    if (counts.pending + counts.running + counts.waiting === 0)
      await this.#finish(
        active,
        counts.failed > 0 ? 'FAILED' : 'FINISHED',
        counts.failed > 0 ? `${counts.failed} of ${counts.total} partition(s) failed` : null,
      );
    else this.#publish(active);
  }

  /** Cluster mode: another process cancelled it in the store; this one stops driving it. */
  async #endedElsewhere(active: Active): Promise<boolean> {
    if (this.deps.driver === undefined) return false;
    const stored = await this.deps.store.status(active.backfill.id);
    if (stored === 'RUNNING') return false;
    const fresh = await this.deps.store.get(active.backfill.id);
    if (fresh)
      Object.assign(active.backfill, {
        status: fresh.status,
        finishedAt: fresh.finishedAt,
        error: fresh.error,
      });
    this.#active.delete(active.backfill.id);
    this.#publish(active);
    return true;
  }

  async #submit(backfill: Backfill, partition: string): Promise<Job> {
    const definition = this.deps.definitionOf(backfill.schedule);
    if (!definition) throw new ConflictError(`schedule "${backfill.schedule}" is now invalid`);
    const timeout = definition.options.timeoutSeconds;
    const result = await this.deps.executor.submit(
      { document: definition.document },
      {
        origin: { type: 'BACKFILL', name: backfill.schedule },
        partition,
        force: backfill.force,
        ...(timeout !== null ? { timeoutMs: timeout * 1000 } : {}),
      },
    );
    if (!result.ok)
      throw new ValidationError(
        `the schedule's pipeline is invalid: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        result.problems,
      );
    return result.job;
  }

  async #setPartition(
    active: Active,
    partition: BackfillPartition,
    state: BackfillPartition['state'],
    jobId: string | null,
  ): Promise<void> {
    await this.deps.store.setPartition(active.backfill.id, partition.partition, state, jobId);
    partition.state = state;
    partition.jobId = jobId;
    this.#publish(active);
  }

  async #finish(active: Active, status: Backfill['status'], error: string | null): Promise<void> {
    const { backfill } = active;
    if (backfill.status !== 'RUNNING') return;
    const finishedAt = new Date();
    await this.deps.store.setStatus(backfill.id, status, finishedAt, error);
    Object.assign(backfill, { status, finishedAt, error });
    this.#active.delete(backfill.id);
    this.deps.logger.info({ backfill: backfill.id, status, error }, 'backfill ended');
    this.deps.bus.emit('backfill', {
      backfill: structuredClone(backfill),
      counts: countPartitions(backfill.partitions, active.statuses),
    });
  }

  #publish(active: Active): void {
    this.deps.bus.emit('backfill', {
      backfill: structuredClone(active.backfill),
      counts: countPartitions(active.backfill.partitions, active.statuses),
    });
  }
}
