import { ConflictError, LimitExceededError, NotFoundError, ValidationError } from '../../errors.js';
import { PartitionTakenError, ShuttingDownError } from '../../jobs/errors.js';
import type { PartitionSpec } from '../../schedule/partitions/partition-spec.js';
import type { StoredFiring } from '../../schedule/schedule-store.js';
import type { ScheduleView } from '../../schedule/scheduler.js';
import type { ScheduleOptions } from '../../schedule/schedule-file.js';
import type { Trigger } from '../../schedule/triggers/index.js';
import { builder } from '../builder.js';
import { JobSpecInvalidError } from '../errors.js';
import { JobRef } from './jobs.js';

/** More upcoming firings than one query may ask for. */
const MAX_UPCOMING = 100;
const MAX_FIRINGS = 1000;

const ScheduleTriggerRef = builder
  .objectRef<{ trigger: Trigger; json: unknown }>('ScheduleTrigger')
  .implement({
    description:
      'When a schedule fires, with APScheduler’s meaning for cron, interval and date triggers.',
    fields: (t) => ({
      type: t.string({
        description: '`cron`, `interval`, `date` or `trading_day`.',
        resolve: ({ trigger }) => trigger.type,
      }),
      description: t.string({ resolve: ({ trigger }) => trigger.describe() }),
      timeZone: t.string({ resolve: ({ trigger }) => trigger.timeZone }),
      definition: t.field({
        type: 'JSON',
        description: 'The trigger as the schedule file writes it.',
        resolve: ({ json }) => json,
      }),
    }),
  });

const ScheduleOptionsRef = builder.objectRef<ScheduleOptions>('ScheduleOptions').implement({
  description: 'APScheduler’s job options, from the schedule file.',
  fields: (t) => ({
    maxInstances: t.exposeInt('maxInstances', {
      description: 'Jobs of the schedule that may run at once; a firing past it is skipped.',
    }),
    coalesce: t.exposeBoolean('coalesce', {
      description: 'A backlog of missed firings runs once.',
    }),
    misfireGraceSeconds: t.exposeFloat('misfireGraceSeconds', {
      nullable: true,
      description: 'How late a firing may still run; null for no limit.',
    }),
    timeoutSeconds: t.exposeFloat('timeoutSeconds', { nullable: true }),
  }),
});

const PartitionSpecRef = builder.objectRef<PartitionSpec>('SchedulePartitions').implement({
  description:
    'A partitioned schedule’s `partitions`: each firing’s job is for one trading day, run once (`force` redoes it).',
  fields: (t) => ({
    by: t.exposeString('by', { description: 'Always `trading_day`.' }),
    lag: t.exposeInt('lag', {
      description:
        'Trading days back from the firing’s day: 0 that day (or the latest trading day before it), 1 the one before.',
    }),
    maxCatchup: t.exposeInt('maxCatchup', {
      description: 'After downtime, at most this many missed partitions run (the newest ones).',
    }),
    nonTradingDay: t.exposeString('nonTradingDay', {
      description:
        '`previous`: a firing on a closed day takes the previous trading day; `skip`: it runs nothing.',
    }),
  }),
});

const FiringRef = builder.objectRef<StoredFiring>('ScheduleFiring').implement({
  description: 'One recorded firing of a schedule and what came of it.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    outcome: t.exposeString('outcome', {
      description:
        'SUBMITTED (its job ran), SKIPPED (nothing ran: see reason), MISSED (later than the grace time) or REJECTED (the job could not be submitted).',
    }),
    partition: t.expose('partition', { type: 'Date', nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    job: t.field({
      type: JobRef,
      nullable: true,
      description: 'The job it ran, or for a skipped partition the job that already holds it.',
      resolve: async (f, _a, { app }) =>
        f.jobId ? ((await app.executor.get(f.jobId)) ?? null) : null,
    }),
  }),
});

export const ScheduleRef = builder.objectRef<ScheduleView>('Schedule').implement({
  description:
    'A schedule file of the scheduled-jobs folder. An invalid file is listed with its error and never fires.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The file name without `.json`.' }),
    file: t.exposeString('file'),
    error: t.string({
      nullable: true,
      description: 'Why the file cannot be used (bad JSON, bad trigger, invalid pipeline).',
      resolve: (s) => s.schedule.error,
    }),
    enabled: t.boolean({
      description: 'False when the file says `"enabled": false` (or is invalid).',
      resolve: (s) => s.schedule.definition?.options.enabled ?? false,
    }),
    paused: t.exposeBoolean('paused', {
      description: 'Paused with pauseSchedule; kept across restarts.',
    }),
    trigger: t.field({
      type: ScheduleTriggerRef,
      nullable: true,
      resolve: (s) =>
        s.schedule.definition
          ? { trigger: s.schedule.definition.trigger, json: s.schedule.definition.triggerJson }
          : null,
    }),
    timeZone: t.string({
      nullable: true,
      resolve: (s) => s.schedule.definition?.trigger.timeZone ?? null,
    }),
    options: t.field({
      type: ScheduleOptionsRef,
      nullable: true,
      resolve: (s) => s.schedule.definition?.options ?? null,
    }),
    nextRunAt: t.expose('nextRunTime', {
      type: 'DateTime',
      nullable: true,
      description: 'The next firing; null when paused, disabled, invalid or finished.',
    }),
    nextRunTimes: t.field({
      type: ['DateTime'],
      description: `The next firings (at most ${MAX_UPCOMING}).`,
      args: { count: t.arg.int({ defaultValue: 5 }) },
      resolve: (s, { count }, { app }) => {
        const n = count ?? 5;
        if (n < 1 || n > MAX_UPCOMING)
          throw new ValidationError(`count must be between 1 and ${MAX_UPCOMING}, not ${n}`);
        return app.scheduler.upcoming(s.name, n);
      },
    }),
    lastJob: t.field({
      type: JobRef,
      nullable: true,
      description:
        'The newest job tied to this schedule, whatever started it: a firing or runSchedule (origin SCHEDULE), a day of a backfill (BACKFILL), or a retry of one of those (RETRY). Newest means last submitted: a backfill of past days still counts as the latest run.',
      // A retry or a backfill day is the schedule's latest attempt as an operator sees it; a
      // schedule whose failed firing was retried successfully should not keep showing the failure.
      resolve: async (s, _args, { app }) =>
        (
          await app.executor.list({
            originName: s.name,
            originTypes: ['SCHEDULE', 'BACKFILL', 'RETRY'],
            limit: 1,
          })
        )[0] ?? null,
    }),
    runningJobIds: t.stringList({ resolve: (s) => s.runningJobIds }),
    partitions: t.field({
      type: PartitionSpecRef,
      nullable: true,
      description: 'How firings map to trading days; null for a schedule without partitions.',
      resolve: (s) => s.schedule.definition?.partitions ?? null,
    }),
    firings: t.field({
      type: [FiringRef],
      description: `The newest recorded firings (at most ${MAX_FIRINGS}), newest first.`,
      args: { count: t.arg.int({ defaultValue: 10 }) },
      resolve: (s, { count }, { app }) => {
        const n = count ?? 10;
        if (n < 1 || n > MAX_FIRINGS)
          throw new ValidationError(`count must be between 1 and ${MAX_FIRINGS}, not ${n}`);
        return app.scheduler.firings(s.name, n);
      },
    }),
  }),
});

const ScheduleReloadRef = builder
  .objectRef<{ added: string[]; changed: string[]; removed: string[] }>('ScheduleReload')
  .implement({
    fields: (t) => ({
      added: t.exposeStringList('added'),
      changed: t.exposeStringList('changed'),
      removed: t.exposeStringList('removed'),
      schedules: t.field({
        type: [ScheduleRef],
        resolve: (_r, _a, { app }) => app.scheduler.list(),
      }),
    }),
  });

builder.queryFields((t) => ({
  schedules: t.field({
    type: [ScheduleRef],
    description: 'Every schedule file, valid or not, by name.',
    resolve: (_root, _args, { app }) => app.scheduler.list(),
  }),
  schedule: t.field({
    type: ScheduleRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, { name }, { app }) =>
      app.scheduler.list().find((s) => s.name === name) ?? null,
  }),
}));

builder.mutationFields((t) => ({
  runSchedule: t.field({
    type: JobRef,
    description:
      'Runs a schedule’s job now, outside its trigger (refused while it already runs max_instances jobs). A partitioned schedule runs the partition of a firing now, or `partition`; when a waiting, running or finished job already holds it, nothing runs and the Conflict names that job (`force: true` runs a finished one again).',
    args: {
      name: t.arg.string({ required: true }),
      partition: t.arg({ type: 'Date', required: false }),
      force: t.arg.boolean({ required: false, defaultValue: false }),
    },
    errors: {
      types: [
        NotFoundError,
        PartitionTakenError,
        ConflictError,
        JobSpecInvalidError,
        ValidationError,
        LimitExceededError,
        ShuttingDownError,
      ],
      directResult: true,
      union: { name: 'RunScheduleResult' },
    },
    resolve: async (_root, { name, partition, force }, { app }) => {
      try {
        return await app.scheduler.runNow(name, {
          ...(partition ? { partition } : {}),
          force: force ?? false,
        });
      } catch (error) {
        // A pipeline's problems are the spec's; a bad partition is the caller's input.
        if (error instanceof ValidationError && error.problems.length > 0)
          throw new JobSpecInvalidError(error.problems);
        throw error;
      }
    },
  }),
  pauseSchedule: t.field({
    type: ScheduleRef,
    description:
      'Stops a schedule from firing until resumed (kept across restarts; in cluster mode, on every process).',
    args: { name: t.arg.string({ required: true }) },
    errors: { types: [NotFoundError], directResult: true, union: { name: 'PauseScheduleResult' } },
    resolve: async (_root, { name }, { app }) => {
      const view = await app.scheduler.pause(name);
      app.cluster?.relay.announce({ action: 'schedulePaused', schedule: name });
      return view;
    },
  }),
  resumeSchedule: t.field({
    type: ScheduleRef,
    description:
      'Lets a paused schedule fire again, from now on (firings during the pause are not caught up); in cluster mode, on every process.',
    args: { name: t.arg.string({ required: true }) },
    errors: { types: [NotFoundError], directResult: true, union: { name: 'ResumeScheduleResult' } },
    resolve: async (_root, { name }, { app }) => {
      const view = await app.scheduler.resume(name);
      app.cluster?.relay.announce({ action: 'schedulePaused', schedule: name });
      return view;
    },
  }),
  reloadSchedules: t.field({
    type: ScheduleReloadRef,
    description:
      'Reads the schedules folder again (it is also watched); schedules whose file did not change keep their state. In cluster mode every process reads its folder again; the answer is this process’s.',
    resolve: async (_root, _args, { app }) => {
      const summary = await app.scheduler.reload();
      app.cluster?.relay.announce({ action: 'reloadSchedules' });
      return summary;
    },
  }),
}));
