import { builder } from '../builder.js';
import { JobEventsStream } from '../live/job-events-stream.js';
import { JobLogStream } from '../live/job-log-stream.js';
import { JobStatusStream } from '../live/job-status-stream.js';
import type { JobStatusEvent, LogBatch } from '../live/live-feeds.js';
import { JobChangeEnum } from './enums.js';
import { LogBatchRef } from './job-logs.js';
import { JobRef } from './jobs.js';

const JobStatusEventRef = builder.objectRef<JobStatusEvent>('JobStatusEvent').implement({
  description: 'A job’s state at one moment, and why it was sent.',
  fields: (t) => ({
    change: t.expose('change', { type: JobChangeEnum }),
    job: t.field({ type: JobRef, resolve: (event) => event.job }),
  }),
});

builder.subscriptionFields((t) => ({
  jobStatus: t.field({
    type: JobStatusEventRef,
    description:
      'The job’s current state first, then every change (status, and progress as it moves, throttled); completes after the final status. An unknown id is an error.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, { app, live }) =>
      JobStatusStream.open(id, { executor: app.executor, live }),
    resolve: (event: JobStatusEvent) => event,
  }),
  jobLogs: t.field({
    type: LogBatchRef,
    description:
      'The job’s log lines with seq > after (0 when absent), in batches: the stored ones first, then live ones as they are written, each line exactly once and in order; completes once the job has ended and every line was sent. Resume with `after: cursor`. An unknown id is an error.',
    args: { id: t.arg.id({ required: true }), after: t.arg.int({ required: false }) },
    subscribe: (_root, { id, after }, { app, live }) =>
      JobLogStream.open(id, after ?? 0, { executor: app.executor, store: app.store, live }),
    resolve: (batch: LogBatch) => batch,
  }),
  jobEvents: t.field({
    type: JobStatusEventRef,
    description:
      'Every job’s changes. A subscriber that lags gets each job’s latest state instead of every intermediate one.',
    // Only a cluster's streams can miss events (through Redis), so only they read the store.
    subscribe: (_root, _args, { app, live }) =>
      new JobEventsStream(live, app.cluster ? app.executor : undefined),
    resolve: (event: JobStatusEvent) => event,
  }),
}));
