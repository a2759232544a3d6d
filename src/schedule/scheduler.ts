import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from 'toad-scheduler';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  errorMessage,
  type Problem,
} from '../errors.js';
import { formatProblems } from '../validation.js';
import type { AppEvents } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import { PartitionTakenError } from '../jobs/errors.js';
import type { Executor } from '../jobs/executor.js';
import { isFinal, type Job } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import { dayInZone } from './partitions/day-in-zone.js';
import { catchUpPartitions, partitionOfDay } from './partitions/partition-of-day.js';
import type { StoredTradingDays } from './partitions/stored-trading-days.js';
import { readScheduleFile, type ScheduleDefinition, type ScheduleFile } from './schedule-file.js';
import type { ScheduleStore, StoredFiring } from './schedule-store.js';
import type { TriggerDeps } from './triggers/index.js';

export interface SchedulerDeps {
  dir: string;
  executor: Executor;
  bus: EventBus<AppEvents>;
  store: ScheduleStore;
  /** Where a schedule's finished partitions are read (the last one decides the catch-up). */
  jobs: Pick<JobStore, 'lastFinishedPartition'>;
  /** The stored calendar: what a trading day, and so a partition, is. */
  tradingDays: StoredTradingDays;
  logger: Logger;
  triggerDeps: TriggerDeps;
  checkPipeline: (document: unknown) => Problem[];
  defaultMisfireGraceSeconds: number | null;
  /** How often due firings are looked for. */
  tickMs: number;
  /** Reload when a file in `dir` is added, changed or removed. */
  watch: boolean;
  /**
   * Cluster mode: other processes pause and resume schedules in the shared store, so a due
   * firing reads the stored state first (a lost Redis message cannot make a paused one fire).
   */
  sharedPause?: boolean;
  clock?: () => Date;
}

/** A schedule as clients see it. */
export interface ScheduleView {
  name: string;
  file: string;
  schedule: ScheduleFile;
  paused: boolean;
  nextRunTime: Date | null;
  runningJobIds: string[];
}

/** One trading day a partitioned firing runs; `firing` is set on the firing's own partition. */
interface PartitionRun {
  partition: string;
  firing: Date | null;
}

/**
 * Firings of one submission, run one after another as APScheduler runs a job's run times; for a
 * partitioned schedule, the partitions of one firing (its catch-up), oldest first.
 */
interface Instance {
  runTimes: Date[];
  partitions: PartitionRun[];
  jobId: string | null;
}

/** How `runNow` runs a partitioned schedule. */
export interface RunNowOptions {
  /** The trading day to run (default: the partition of a firing now). */
  partition?: string;
  /** Run it even when a finished job holds the partition. */
  force?: boolean;
}

interface Entry {
  schedule: ScheduleFile;
  paused: boolean;
  nextRunTime: Date | null;
  instances: Instance[];
}

/** A backlog longer than this (an every-second schedule after a long stop) is cut to its end. */
const MAX_RUN_TIMES = 10_000;

/**
 * Runs the schedule files in-process. toad-scheduler ticks; each tick runs every firing that is
 * due, with APScheduler's rules: the run times since the last firing, coalesced to the last one
 * by default, each dropped when later than the grace time, and skipped while `max_instances` jobs
 * of the schedule still run. The last firing of each schedule is stored, so firings missed while
 * the server was down are caught up at start-up the same way.
 */
export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #toad = new ToadScheduler();
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  #offJobs: (() => void) | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  #now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  async start(): Promise<void> {
    this.#offJobs = this.deps.bus.on('job', ({ job }) => {
      if (job.origin.type === 'SCHEDULE' && isFinal(job.status)) void this.#jobEnded(job);
    });
    await this.reload();
    const task = new AsyncTask(
      'schedules',
      () => this.tick(),
      (error) => this.deps.logger.error({ err: error }, 'schedule tick failed'),
    );
    this.#toad.addSimpleIntervalJob(
      new SimpleIntervalJob({ milliseconds: this.deps.tickMs }, task, {
        id: 'schedules',
        preventOverrun: true,
      }),
    );
    if (this.deps.watch && existsSync(this.deps.dir)) {
      try {
        this.#watcher = watch(this.deps.dir, () => {
          clearTimeout(this.#reloadTimer);
          // Editors write a file in several steps; reload once they are done.
          this.#reloadTimer = setTimeout(
            () =>
              void this.reload().catch((error: unknown) =>
                this.deps.logger.error({ err: error }, 'schedule reload failed'),
              ),
            200,
          );
        });
      } catch (error) {
        this.deps.logger.warn(
          { dir: this.deps.dir, error: errorMessage(error) },
          'cannot watch the schedules folder; use reloadSchedules',
        );
      }
    }
  }

  /** Stops firing; jobs already submitted are the executor's to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#toad.stop();
    this.#watcher?.close();
    clearTimeout(this.#reloadTimer);
    this.#offJobs?.();
    await this.#ticking;
  }

  /** Reads the folder again; schedules whose file did not change keep their state. */
  async reload(): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const files = existsSync(this.deps.dir)
      ? readdirSync(this.deps.dir)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : [];
    const paused = await this.deps.store.pausedSchedules();
    const seen = new Set<string>();
    const summary = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
    for (const fileName of files) {
      const schedule = readScheduleFile(join(this.deps.dir, fileName), {
        triggerDeps: this.deps.triggerDeps,
        checkPipeline: this.deps.checkPipeline,
        defaultMisfireGraceSeconds: this.deps.defaultMisfireGraceSeconds,
      });
      seen.add(schedule.name);
      const existing = this.#entries.get(schedule.name);
      if (existing && existing.schedule.fingerprint === schedule.fingerprint) continue;
      if (schedule.error)
        this.deps.logger.error(
          { schedule: schedule.name, file: schedule.file, error: schedule.error },
          'schedule file is invalid; it will not fire',
        );
      const entry: Entry = {
        schedule,
        paused: paused.has(schedule.name),
        nextRunTime: null,
        instances: existing?.instances ?? [],
      };
      // A new schedule resumes from its last stored firing (catching up what was missed); an edited one starts afresh, as APScheduler's reschedule does.
      entry.nextRunTime = await this.#firstRunTime(entry, existing === undefined);
      this.#entries.set(schedule.name, entry);
      (existing ? summary.changed : summary.added).push(schedule.name);
    }
    for (const name of [...this.#entries.keys()]) {
      if (!seen.has(name)) {
        this.#entries.delete(name);
        summary.removed.push(name);
      }
    }
    if (summary.added.length + summary.changed.length + summary.removed.length > 0)
      this.deps.logger.info(summary, 'schedules loaded');
    return summary;
  }

  async #firstRunTime(entry: Entry, resume: boolean): Promise<Date | null> {
    const definition = entry.schedule.definition;
    // A disabled schedule never fires, so it has no next run time to show.
    if (!definition || !definition.options.enabled || entry.paused) return null;
    const now = this.#now();
    const last = resume ? await this.deps.store.lastFireTime(entry.schedule.name) : null;
    return definition.trigger.nextFireTime(last, last && last > now ? last : now);
  }

  /** Runs every due firing; called by toad-scheduler every `tickMs`. */
  tick(): Promise<void> {
    this.#ticking = this.#ticking.then(async () => {
      for (const entry of this.#entries.values()) {
        if (this.#stopped) return;
        try {
          await this.#fireIfDue(entry);
        } catch (error) {
          this.deps.logger.error(
            { schedule: entry.schedule.name, err: error },
            'schedule firing failed',
          );
        }
      }
    });
    return this.#ticking;
  }

  async #fireIfDue(entry: Entry): Promise<void> {
    const definition = entry.schedule.definition;
    if (!definition || !definition.options.enabled || entry.paused || entry.nextRunTime === null)
      return;
    const now = this.#now();
    if (entry.nextRunTime > now) return;
    if (this.deps.sharedPause && (await this.deps.store.isPaused(entry.schedule.name))) {
      entry.paused = true;
      entry.nextRunTime = null;
      return;
    }
    let runTimes: Date[] = [];
    let next: Date | null = entry.nextRunTime;
    while (next !== null && next <= now) {
      runTimes.push(next);
      if (runTimes.length >= MAX_RUN_TIMES) runTimes = runTimes.slice(-1);
      next = await definition.trigger.nextFireTime(next, now);
    }
    entry.nextRunTime = next;
    // Partitions catch up by trading day; the firings in between add nothing to that.
    if (definition.options.coalesce || definition.partitions) runTimes = runTimes.slice(-1);
    const name = entry.schedule.name;
    if (entry.instances.length >= definition.options.maxInstances) {
      const reason = `${entry.instances.length} job(s) of it still running (max_instances ${definition.options.maxInstances})`;
      for (const at of runTimes)
        await this.deps.store.claimFiring(name, at, 'SKIPPED', null, { reason });
      this.deps.logger.warn(
        { schedule: name, runTimes },
        `schedule "${name}" skipped a firing: ${reason}`,
      );
      return;
    }
    const instance: Instance =
      definition.partitions === null
        ? { runTimes, partitions: [], jobId: null }
        : {
            runTimes: [],
            partitions: await this.#partitionRuns(entry, definition, runTimes[0]!),
            jobId: null,
          };
    if (definition.partitions !== null && instance.partitions.length === 0) return;
    entry.instances.push(instance);
    await this.#advance(entry, instance);
  }

  /**
   * The partitions a firing at `at` runs: its own trading day, after those missed since the last
   * finished one (capped by max_catchup). Records the firing; none when it has no partition or
   * another process recorded it first.
   */
  async #partitionRuns(
    entry: Entry,
    definition: ScheduleDefinition,
    at: Date,
  ): Promise<PartitionRun[]> {
    const spec = definition.partitions!;
    const name = entry.schedule.name;
    const day = dayInZone(at, definition.trigger.timeZone);
    const choice = await partitionOfDay(day, spec, this.deps.tradingDays);
    if (choice.partition === null) {
      await this.deps.store.claimFiring(name, at, 'SKIPPED', null, { reason: choice.reason });
      this.deps.logger.warn(
        { schedule: name, runTime: at },
        `schedule "${name}" ran nothing: ${choice.reason}`,
      );
      return [];
    }
    const partition = choice.partition;
    if (!(await this.deps.store.claimFiring(name, at, 'SUBMITTED', null, { partition }))) return [];
    const last = await this.deps.jobs.lastFinishedPartition(name);
    const { partitions, dropped } = await catchUpPartitions(
      last,
      partition,
      spec.maxCatchup,
      this.deps.tradingDays,
    );
    if (dropped.length > 0)
      this.deps.logger.warn(
        { schedule: name, dropped: dropped.length, from: dropped[0], to: dropped.at(-1) },
        `schedule "${name}" catches up ${partitions.length} partition(s) (max_catchup ${spec.maxCatchup}); ${dropped.length} older one(s) from ${dropped[0]} to ${dropped.at(-1)} are left to a backfill`,
      );
    return partitions.map((p) => ({ partition: p, firing: p === partition ? at : null }));
  }

  /** Submits the instance's next run time that is not too late; drops the instance when none is left. */
  async #advance(entry: Entry, instance: Instance): Promise<void> {
    if (instance.partitions.length > 0) return this.#advancePartitions(entry, instance);
    const { schedule } = entry;
    const options = schedule.definition!.options;
    for (let at = instance.runTimes.shift(); at !== undefined; at = instance.runTimes.shift()) {
      const lateMs = this.#now().getTime() - at.getTime();
      if (options.misfireGraceSeconds !== null && lateMs > options.misfireGraceSeconds * 1000) {
        await this.deps.store.claimFiring(schedule.name, at, 'MISSED');
        this.deps.logger.warn(
          { schedule: schedule.name, runTime: at },
          `run time of schedule "${schedule.name}" was missed by ${Math.round(lateMs / 1000)} s (grace ${options.misfireGraceSeconds} s)`,
        );
        continue;
      }
      if (!(await this.deps.store.claimFiring(schedule.name, at, 'SUBMITTED'))) continue;
      try {
        const job = await this.#submit(entry);
        instance.jobId = job.id;
        await this.deps.store.recordJob(schedule.name, at, 'SUBMITTED', job.id);
        this.deps.logger.info(
          { schedule: schedule.name, runTime: at, jobId: job.id },
          'schedule fired',
        );
        return;
      } catch (error) {
        await this.deps.store.recordJob(schedule.name, at, 'REJECTED', null);
        this.deps.logger.error(
          { schedule: schedule.name, runTime: at, error: errorMessage(error) },
          'schedule could not submit its job',
        );
      }
    }
    entry.instances = entry.instances.filter((i) => i !== instance);
  }

  /**
   * Submits the instance's next partition that no live or finished job holds; drops the instance
   * when none is left.
   */
  async #advancePartitions(entry: Entry, instance: Instance): Promise<void> {
    const name = entry.schedule.name;
    for (
      let run = instance.partitions.shift();
      run !== undefined;
      run = instance.partitions.shift()
    ) {
      const { partition, firing } = run;
      try {
        const job = await this.#submit(entry, { partition });
        instance.jobId = job.id;
        if (firing) await this.deps.store.recordJob(name, firing, 'SUBMITTED', job.id);
        this.deps.logger.info(
          { schedule: name, partition, jobId: job.id, catchUp: firing === null },
          'schedule fired',
        );
        return;
      } catch (error) {
        if (error instanceof PartitionTakenError) {
          if (firing)
            await this.deps.store.recordJob(
              name,
              firing,
              'SKIPPED',
              error.holder.id,
              error.message,
            );
          this.deps.logger.info(
            { schedule: name, partition, jobId: error.holder.id },
            error.message,
          );
          continue;
        }
        if (firing)
          await this.deps.store.recordJob(name, firing, 'REJECTED', null, errorMessage(error));
        this.deps.logger.error(
          { schedule: name, partition, error: errorMessage(error) },
          'schedule could not submit its job',
        );
      }
    }
    entry.instances = entry.instances.filter((i) => i !== instance);
  }

  async #submit(entry: Entry, run: RunNowOptions = {}): Promise<Job> {
    const { schedule } = entry;
    const options = schedule.definition!.options;
    const result = await this.deps.executor.submit(
      { document: schedule.definition!.document },
      {
        origin: { type: 'SCHEDULE', name: schedule.name },
        ...(options.timeoutSeconds !== null ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
        ...(run.partition !== undefined ? { partition: run.partition } : {}),
        ...(run.force === true ? { force: true } : {}),
      },
    );
    if (!result.ok)
      throw new ValidationError(
        `the pipeline is invalid: ${formatProblems(result.problems).replaceAll('\n', '; ')}`,
        result.problems,
      );
    return result.job;
  }

  async #jobEnded(job: Job): Promise<void> {
    const entry = this.#entries.get(job.origin.name ?? '');
    const instance = entry?.instances.find((i) => i.jobId === job.id);
    if (!entry || !instance) return;
    instance.jobId = null;
    await this.#advance(entry, instance).catch((error: unknown) =>
      this.deps.logger.error({ err: error }, 'schedule backlog failed'),
    );
  }

  /**
   * Fires a schedule now, outside its trigger; refused while it already has max_instances jobs
   * running. A partitioned schedule runs the partition of a firing now (or the one given), and
   * only when no live or finished job holds it, unless forced.
   */
  async runNow(name: string, run: RunNowOptions = {}): Promise<Job> {
    const entry = this.#get(name);
    const definition = entry.schedule.definition;
    if (!definition)
      throw new ConflictError(
        `schedule "${name}" is invalid and cannot run: ${entry.schedule.error}`,
      );
    if (definition.partitions === null && run.partition !== undefined)
      throw new ValidationError(
        `schedule "${name}" has no partitions; run it without one (or declare "partitions" in its file)`,
      );
    let partition = run.partition;
    if (definition.partitions !== null && partition === undefined) {
      const day = dayInZone(this.#now(), definition.trigger.timeZone);
      const choice = await partitionOfDay(day, definition.partitions, this.deps.tradingDays);
      if (choice.partition === null)
        throw new ConflictError(`schedule "${name}" has no partition to run now: ${choice.reason}`);
      partition = choice.partition;
    }
    if (partition !== undefined && (await this.deps.tradingDays.isTradingDay(partition)) !== true)
      throw new ValidationError(
        `partition ${partition} is not a trading day in the stored calendar`,
      );
    if (entry.instances.length >= definition.options.maxInstances) {
      throw new ConflictError(
        `schedule "${name}" already has ${entry.instances.length} job(s) running (max_instances ${definition.options.maxInstances})`,
      );
    }
    const instance: Instance = { runTimes: [], partitions: [], jobId: null };
    entry.instances.push(instance);
    try {
      const job = await this.#submit(entry, { ...run, partition });
      instance.jobId = job.id;
      return job;
    } catch (error) {
      entry.instances = entry.instances.filter((i) => i !== instance);
      throw error;
    }
  }

  async pause(name: string): Promise<ScheduleView> {
    const entry = this.#get(name);
    await this.deps.store.setPaused(name, true);
    entry.paused = true;
    entry.nextRunTime = null;
    return this.#view(entry);
  }

  /** Resumes from now on: firings that fell in the pause are not caught up (APScheduler's resume_job). */
  async resume(name: string): Promise<ScheduleView> {
    const entry = this.#get(name);
    await this.deps.store.setPaused(name, false);
    entry.paused = false;
    entry.nextRunTime = await this.#firstRunTime(entry, false);
    return this.#view(entry);
  }

  /**
   * Takes the paused state of every schedule from the store (another process paused or resumed
   * one); a schedule resumed elsewhere fires from now on, as a resume here does.
   */
  async refreshPaused(): Promise<void> {
    const paused = await this.deps.store.pausedSchedules();
    for (const entry of this.#entries.values()) {
      const now = paused.has(entry.schedule.name);
      if (now === entry.paused) continue;
      entry.paused = now;
      entry.nextRunTime = now ? null : await this.#firstRunTime(entry, false);
    }
  }

  list(): ScheduleView[] {
    return [...this.#entries.values()]
      .map((e) => this.#view(e))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): ScheduleView {
    return this.#view(this.#get(name));
  }

  /** The next `n` firings from the current next run time (as if each ran on time). */
  async upcoming(name: string, n: number): Promise<Date[]> {
    const entry = this.#get(name);
    const definition = entry.schedule.definition;
    if (!definition?.options.enabled || entry.nextRunTime === null) return [];
    const times = [entry.nextRunTime];
    while (times.length < n) {
      const previous = times.at(-1)!;
      const next = await definition.trigger.nextFireTime(previous, previous);
      if (next === null || next <= previous) break;
      times.push(next);
    }
    return times;
  }

  /** The schedule's recorded firings, newest first. */
  firings(name: string, limit: number): Promise<StoredFiring[]> {
    this.#get(name);
    return this.deps.store.firings(name, limit);
  }

  #get(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new NotFoundError('schedule', name);
    return entry;
  }

  #view(entry: Entry): ScheduleView {
    return {
      name: entry.schedule.name,
      file: entry.schedule.file,
      schedule: entry.schedule,
      paused: entry.paused,
      nextRunTime: entry.nextRunTime,
      runningJobIds: entry.instances.flatMap((i) => (i.jobId ? [i.jobId] : [])),
    };
  }
}
