import type { JobStats } from '../../jobs/job-stats.js';
import { builder } from '../builder.js';

const JobStatsRef = builder.objectRef<JobStats>('JobStats').implement({
  description:
    'Exact job counts from the job store (every process’s jobs in cluster mode): WAITING and RUNNING now, the ended statuses for jobs that ended at or after `since`.',
  fields: (t) => ({
    since: t.expose('since', {
      type: 'DateTime',
      nullable: true,
      description: 'Ended jobs are counted from this time on; null: every stored one.',
    }),
    waiting: t.int({ resolve: (s) => s.counts.WAITING }),
    running: t.int({ resolve: (s) => s.counts.RUNNING }),
    finished: t.int({ resolve: (s) => s.counts.FINISHED }),
    failed: t.int({ resolve: (s) => s.counts.FAILED }),
    cancelled: t.int({ resolve: (s) => s.counts.CANCELLED }),
  }),
});

builder.queryFields((t) => ({
  jobStats: t.field({
    type: JobStatsRef,
    description:
      'Job counts per status in one query (the dashboard’s counters): jobs waiting and running now, and jobs that ended since `since` (absent: every stored job, within retention).',
    args: { since: t.arg({ type: 'DateTime', required: false }) },
    resolve: (_root, { since }, { app }) => app.store.stats(since ?? null),
  }),
}));
