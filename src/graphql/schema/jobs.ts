import type { StepProgress } from '../../components/component.js';
import { ValidationError } from '../../errors.js';
import type { Job, JobOrigin, StepState } from '../../jobs/job.js';
import type { StepSpec } from '../../pipeline/job-spec.js';
import { toOriginalDocument } from '../../pipeline/job-spec.js';
import { builder } from '../builder.js';
import { ComponentKindEnum, JobOriginTypeEnum, JobStatusEnum, StepStatusEnum } from './enums.js';
import { LogBatchRef, MAX_LOG_PAGE } from './job-logs.js';

export const JobOriginRef = builder.objectRef<JobOrigin>('JobOrigin').implement({
  fields: (t) => ({
    type: t.expose('type', { type: JobOriginTypeEnum }),
    name: t.exposeString('name', {
      nullable: true,
      description:
        'The schedule’s name for SCHEDULE and BACKFILL, a reason for STARTUP, null for ADHOC; for RETRY, the name of the job retried.',
    }),
  }),
});

export const StepProgressRef = builder.objectRef<StepProgress>('StepProgress').implement({
  description: 'How far a step is, e.g. rows written of rows to write on one storage target.',
  fields: (t) => ({
    label: t.exposeString('label', {
      nullable: true,
      description: 'What is counted, e.g. a storage target’s name.',
    }),
    done: t.exposeInt('done'),
    total: t.exposeInt('total'),
  }),
});

export const JobStepRef = builder.objectRef<StepState>('JobStep').implement({
  description: 'One step of a job as it ran (or will run).',
  fields: (t) => ({
    name: t.exposeString('name'),
    componentName: t.exposeString('componentName'),
    kind: t.expose('kind', { type: ComponentKindEnum }),
    status: t.expose('status', { type: StepStatusEnum }),
    rowsIn: t.exposeInt('rowsIn', { nullable: true }),
    rowsOut: t.exposeInt('rowsOut', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    result: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The summary the component recorded, e.g. a storager’s per-target counts.',
      resolve: (s) => s.result ?? null,
    }),
    progress: t.field({ type: [StepProgressRef], resolve: (s) => s.progress }),
  }),
});

interface ProgressItem extends StepProgress {
  step: string;
}

const JobProgressItemRef = builder.objectRef<ProgressItem>('JobProgressItem').implement({
  fields: (t) => ({
    step: t.exposeString('step'),
    label: t.exposeString('label', { nullable: true }),
    done: t.exposeInt('done'),
    total: t.exposeInt('total'),
  }),
});

const JobProgressRef = builder.objectRef<Job>('JobProgress').implement({
  description:
    'Enough to draw a progress bar: steps finished of total, and each step’s own counts (e.g. rows written per target).',
  fields: (t) => ({
    stepsFinished: t.int({
      resolve: (job) => job.steps.filter((s) => s.status === 'FINISHED').length,
    }),
    stepsTotal: t.int({ resolve: (job) => job.steps.length }),
    items: t.field({
      type: [JobProgressItemRef],
      resolve: (job) => job.steps.flatMap((s) => s.progress.map((p) => ({ ...p, step: s.name }))),
    }),
  }),
});

const JobSpecStepRef = builder.objectRef<StepSpec>('JobSpecStep').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    componentClassName: t.exposeString('componentClassName'),
    preComponentName: t.exposeString('preComponentName', { description: 'Empty for a producer.' }),
    componentArguments: t.field({ type: 'JSON', resolve: (s) => s.componentArguments }),
  }),
});

const JobSpecRef = builder.objectRef<Job['spec']>('JobSpec').implement({
  fields: (t) => ({
    steps: t.field({ type: [JobSpecStepRef], resolve: (spec) => spec.steps }),
    document: t.field({
      type: 'JSON',
      description: 'The spec in the original JSON document form.',
      resolve: (spec) => toOriginalDocument(spec),
    }),
  }),
});

export const JobRef = builder.objectRef<Job>('Job').implement({
  description: 'A job: its spec, status, per-step results and logs.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: JobStatusEnum }),
    origin: t.field({ type: JobOriginRef, resolve: (job) => job.origin }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the job failed or was cancelled.',
    }),
    steps: t.field({ type: [JobStepRef], resolve: (job) => job.steps }),
    progress: t.field({ type: JobProgressRef, resolve: (job) => job }),
    spec: t.field({ type: JobSpecRef, resolve: (job) => job.spec }),
    retryOf: t.exposeID('retryOf', { nullable: true, description: 'The job this one retries.' }),
    partition: t.expose('partition', {
      type: 'Date',
      nullable: true,
      description:
        'The trading day whose data the job produces (a partitioned schedule’s firing, a backfill, or given to submitJob); null for ad hoc jobs without one.',
    }),
    timeoutSeconds: t.float({
      nullable: true,
      resolve: (job) => (job.timeoutMs === null ? null : job.timeoutMs / 1000),
    }),
    logCount: t.exposeInt('logCount', {
      description: 'Lines logged so far; their seq runs 1..logCount.',
    }),
    logs: t.field({
      type: LogBatchRef,
      description: `Stored log lines with seq > after, at most \`first\` (up to ${MAX_LOG_PAGE}). Use the jobLogs subscription to follow them live.`,
      args: {
        after: t.arg.int({ defaultValue: 0 }),
        first: t.arg.int({ defaultValue: 1000 }),
      },
      resolve: async (job, args, { app }) => {
        const first = args.first ?? 1000;
        if (first < 1 || first > MAX_LOG_PAGE)
          throw new ValidationError(`first must be between 1 and ${MAX_LOG_PAGE}, not ${first}`);
        const from = Math.max(0, args.after ?? 0);
        const lines = await app.store.logLines(job.id, from, first);
        return { jobId: job.id, lines, cursor: lines.at(-1)?.seq ?? from };
      },
    }),
  }),
});

const PageInfoRef = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo')
  .implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.exposeString('endCursor', {
        nullable: true,
        description: 'Pass as `after` for the next page.',
      }),
    }),
  });

interface JobPage {
  jobs: Job[];
  hasNextPage: boolean;
}

const JobEdgeRef = builder.objectRef<Job>('JobEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('id'),
    node: t.field({ type: JobRef, resolve: (job) => job }),
  }),
});

const JobConnectionRef = builder.objectRef<JobPage>('JobConnection').implement({
  description: 'A page of jobs, newest first.',
  fields: (t) => ({
    edges: t.field({ type: [JobEdgeRef], resolve: (page) => page.jobs }),
    nodes: t.field({ type: [JobRef], resolve: (page) => page.jobs }),
    pageInfo: t.field({
      type: PageInfoRef,
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        endCursor: page.jobs.at(-1)?.id ?? null,
      }),
    }),
  }),
});

/** Most jobs one `jobs` page returns. */
const MAX_JOBS_PAGE = 100;

builder.queryFields((t) => ({
  job: t.field({
    type: JobRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { app }) => app.executor.get(id),
  }),
  jobs: t.field({
    type: JobConnectionRef,
    description: 'Jobs, newest first, optionally only some statuses, origins or one partition.',
    args: {
      status: t.arg({ type: [JobStatusEnum], required: false }),
      origin: t.arg.string({
        required: false,
        description: 'Only jobs with this origin name (a schedule’s name).',
      }),
      originType: t.arg({
        type: [JobOriginTypeEnum],
        required: false,
        description: 'Only jobs of these origin types (e.g. BACKFILL).',
      }),
      partition: t.arg({
        type: 'Date',
        required: false,
        description: 'Only jobs for this trading day.',
      }),
      first: t.arg.int({ defaultValue: 20, description: `At most ${MAX_JOBS_PAGE}.` }),
      after: t.arg.string({
        required: false,
        description: 'The `endCursor` of the previous page.',
      }),
    },
    resolve: async (_root, args, { app }) => {
      const first = args.first ?? 20;
      if (first < 1 || first > MAX_JOBS_PAGE)
        throw new ValidationError(`first must be between 1 and ${MAX_JOBS_PAGE}, not ${first}`);
      const jobs = await app.executor.list({
        statuses: args.status ?? undefined,
        originName: args.origin ?? undefined,
        originTypes: args.originType ?? undefined,
        partition: args.partition ?? undefined,
        beforeId: args.after ?? undefined,
        limit: first + 1,
      });
      return { jobs: jobs.slice(0, first), hasNextPage: jobs.length > first };
    },
  }),
}));
