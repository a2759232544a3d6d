import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { BackfillEvent } from '../../events/app-events.js';
import { ShuttingDownError } from '../../jobs/errors.js';
import type { Job } from '../../jobs/job.js';
import {
  BACKFILL_STATUSES,
  type Backfill,
  type BackfillCounts,
  type BackfillPartition,
} from '../../schedule/backfills/backfill.js';
import type { GraphQLContext } from '../context.js';
import { BackfillProgressStream } from '../live/backfill-progress-stream.js';
import { builder } from '../builder.js';
import { JobRef } from './jobs.js';

const MAX_BACKFILLS = 1000;

/**
 * One count per backfill object a response resolves: the four count fields share it, instead of
 * each reading every partition's job again.
 */
const countsOf = new WeakMap<Backfill, Promise<BackfillCounts>>();
function counts(backfill: Backfill, app: GraphQLContext['app']): Promise<BackfillCounts> {
  let pending = countsOf.get(backfill);
  if (!pending) {
    pending = app.backfills.counts(backfill);
    countsOf.set(backfill, pending);
  }
  return pending;
}

const BackfillStatusEnum = builder.enumType('BackfillStatus', {
  description:
    'RUNNING until every partition’s job has ended; then FINISHED, or FAILED when a partition failed (or could not be submitted); CANCELLED by cancelBackfill.',
  values: BACKFILL_STATUSES,
});

const BackfillPartitionStateEnum = builder.enumType('BackfillPartitionState', {
  description:
    'PENDING (not submitted yet), SUBMITTED (its own job runs it) or SKIPPED (another job already held the partition: done, or running).',
  values: ['PENDING', 'SUBMITTED', 'SKIPPED'] as const,
});

const BackfillPartitionRef = builder.objectRef<BackfillPartition>('BackfillPartition').implement({
  fields: (t) => ({
    partition: t.expose('partition', { type: 'Date' }),
    state: t.expose('state', { type: BackfillPartitionStateEnum }),
    job: t.field({
      type: JobRef,
      nullable: true,
      resolve: async (p, _a, { app }) =>
        p.jobId ? ((await app.executor.get(p.jobId)) ?? null) : null,
    }),
  }),
});

export const BackfillRef = builder.objectRef<Backfill>('Backfill').implement({
  description:
    'A range of a partitioned schedule’s trading days, run as one job per day that was not already done (all of them with force), at most maxConcurrent at once, oldest first. It survives a restart.',
  fields: (t) => ({
    id: t.exposeID('id'),
    schedule: t.exposeString('schedule'),
    from: t.expose('from', { type: 'Date' }),
    to: t.expose('to', { type: 'Date' }),
    force: t.exposeBoolean('force'),
    maxConcurrent: t.exposeInt('maxConcurrent'),
    status: t.expose('status', { type: BackfillStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    total: t.int({
      description: 'Trading days in the range.',
      resolve: (b) => b.partitions.length,
    }),
    done: t.int({
      description: 'Partitions whose job finished (this backfill’s, or one that already held it).',
      resolve: async (b, _a, { app }) => (await counts(b, app)).done,
    }),
    failed: t.int({
      description: 'Partitions whose job failed or was cancelled.',
      resolve: async (b, _a, { app }) => (await counts(b, app)).failed,
    }),
    running: t.int({ resolve: async (b, _a, { app }) => (await counts(b, app)).running }),
    waiting: t.int({
      description: 'Partitions waiting: submitted and queued, or not yet submitted.',
      resolve: async (b, _a, { app }) => {
        const c = await counts(b, app);
        return c.waiting + c.pending;
      },
    }),
    partitions: t.field({
      type: [BackfillPartitionRef],
      resolve: (b) => b.partitions,
    }),
    jobs: t.field({
      type: [JobRef],
      description: 'The jobs this backfill submitted, oldest first.',
      resolve: async (b, _a, { app }) => {
        const jobs = await Promise.all(
          b.partitions
            .filter((p) => p.state === 'SUBMITTED' && p.jobId !== null)
            .map((p) => app.executor.get(p.jobId!)),
        );
        return jobs.filter((j): j is Job => j !== undefined);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  backfills: t.field({
    type: [BackfillRef],
    description: `Backfills, newest first (at most ${MAX_BACKFILLS}).`,
    args: { first: t.arg.int({ defaultValue: 50 }) },
    resolve: (_root, { first }, { app }) => {
      const n = first ?? 50;
      if (n < 1 || n > MAX_BACKFILLS)
        throw new ValidationError(`first must be between 1 and ${MAX_BACKFILLS}, not ${n}`);
      return app.backfills.list(n);
    },
  }),
  backfill: t.field({
    type: BackfillRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { app }) => (await app.backfills.get(id)) ?? null,
  }),
}));

builder.mutationFields((t) => ({
  backfill: t.field({
    type: BackfillRef,
    description:
      'Runs a partitioned schedule for every trading day from `from` to `to` that has no waiting, running or finished job (every day with `force`), at most `maxConcurrent` at once (default: half of maxConcurrentJobs), oldest first.',
    args: {
      schedule: t.arg.string({ required: true }),
      from: t.arg({ type: 'Date', required: true }),
      to: t.arg({ type: 'Date', required: true }),
      force: t.arg.boolean({ required: false, defaultValue: false }),
      maxConcurrent: t.arg.int({ required: false }),
    },
    errors: {
      types: [NotFoundError, ConflictError, ValidationError, ShuttingDownError],
      directResult: true,
      union: { name: 'BackfillResult' },
    },
    resolve: (_root, args, { app }) =>
      app.backfills.create({
        schedule: args.schedule,
        from: args.from,
        to: args.to,
        force: args.force ?? false,
        maxConcurrent: args.maxConcurrent ?? null,
      }),
  }),
  cancelBackfill: t.field({
    type: BackfillRef,
    description:
      'Ends a backfill: its waiting runs are cancelled, running ones get their signal; returns once they have ended. An ended backfill is returned as it is.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], directResult: true, union: { name: 'CancelBackfillResult' } },
    resolve: (_root, { id }, { app }) => app.backfills.cancel(id),
  }),
}));

const BackfillProgressRef = builder.objectRef<BackfillEvent>('BackfillProgress').implement({
  fields: (t) => ({
    backfill: t.field({ type: BackfillRef, resolve: (e) => e.backfill }),
    total: t.int({ resolve: (e) => e.counts.total }),
    done: t.int({ resolve: (e) => e.counts.done }),
    failed: t.int({ resolve: (e) => e.counts.failed }),
    running: t.int({ resolve: (e) => e.counts.running }),
    waiting: t.int({ resolve: (e) => e.counts.waiting + e.counts.pending }),
  }),
});

builder.subscriptionFields((t) => ({
  backfillProgress: t.field({
    type: BackfillProgressRef,
    description:
      'The backfill’s state first, then its latest state after each change (a slow client skips to the newest); completes after a final status. An unknown id is an error.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, { app, live }) =>
      BackfillProgressStream.open(id, { backfills: app.backfills, bus: app.bus, live }),
    resolve: (event: BackfillEvent) => event,
  }),
}));
