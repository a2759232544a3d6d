import { ValidationError } from '../../errors.js';
import {
  PARTITION_STATUSES,
  partitionEntries,
  type PartitionEntry,
} from '../../schedule/partitions/partition-statuses.js';
import { builder } from '../builder.js';
import { JobRef } from './jobs.js';

/** About two years of trading days: what one heat map shows. */
const MAX_PARTITION_DAYS = 800;

const PartitionStatusEnum = builder.enumType('PartitionStatus', {
  description:
    'MISSING (no run), WAITING, RUNNING, FINISHED, or FAILED (the latest run failed or was cancelled, and no other holds the day).',
  values: PARTITION_STATUSES,
});

const PartitionRef = builder.objectRef<PartitionEntry>('Partition').implement({
  description: 'One trading day of a partitioned schedule.',
  fields: (t) => ({
    partition: t.expose('partition', { type: 'Date' }),
    status: t.expose('status', { type: PartitionStatusEnum }),
    job: t.expose('job', {
      type: JobRef,
      nullable: true,
      description: 'The job holding the day (waiting, running or finished), else its latest run.',
    }),
    rowsWritten: t.exposeInt('rowsWritten', {
      nullable: true,
      description:
        'Rows that job’s storagers wrote or found unchanged (per storager the most of any target), summed; null when none ran.',
    }),
  }),
});

builder.queryFields((t) => ({
  partitions: t.field({
    type: [PartitionRef],
    description: `One entry per trading day from \`from\` to \`to\` (at most ${MAX_PARTITION_DAYS}) of the stored calendar: what the schedule’s runs for it came to.`,
    args: {
      schedule: t.arg.string({ required: true }),
      from: t.arg({ type: 'Date', required: true }),
      to: t.arg({ type: 'Date', required: true }),
    },
    resolve: async (_root, { schedule, from, to }, { app }) => {
      app.scheduler.get(schedule);
      if (from > to) throw new ValidationError(`from (${from}) is after to (${to})`);
      const days = await app.tradingDays.tradingDaysBetween(from, to);
      if (days.length > MAX_PARTITION_DAYS)
        throw new ValidationError(
          `${days.length} trading days from ${from} to ${to}: at most ${MAX_PARTITION_DAYS} per query`,
        );
      const jobs = await app.store.partitionJobs(schedule, from, to);
      // Live states for jobs still active: the store lags a running job's changes.
      return partitionEntries(
        days,
        jobs.map((j) => app.executor.live(j)),
      );
    },
  }),
}));
