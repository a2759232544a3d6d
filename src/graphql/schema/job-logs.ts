import type { LogLine } from '../../jobs/job.js';
import { builder } from '../builder.js';
import type { LogBatch } from '../live/live-feeds.js';
import { LogLevelEnum } from './enums.js';

export const LogLineRef = builder.objectRef<LogLine>('LogLine').implement({
  description: 'One line a job logged. `seq` runs 1, 2, 3… per job without gaps.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    time: t.expose('time', { type: 'DateTime' }),
    level: t.expose('level', { type: LogLevelEnum }),
    step: t.exposeString('step', {
      nullable: true,
      description: 'The step that logged it; null for the job’s own lines.',
    }),
    message: t.exposeString('message'),
  }),
});

export const LogBatchRef = builder.objectRef<LogBatch>('LogBatch').implement({
  description: 'Consecutive log lines of one job. Resume after it with `after: cursor`.',
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    lines: t.field({ type: [LogLineRef], resolve: (batch) => batch.lines }),
    cursor: t.exposeInt('cursor', { description: 'The seq of the last line sent so far.' }),
  }),
});

/** Most lines one `Job.logs` query returns. */
export const MAX_LOG_PAGE = 5000;
