import type { ComponentKind, StepProgress } from '../components/component.js';
import type { JobSpec } from '../pipeline/job-spec.js';

/**
 * The longest timeout a job may have: a month and a day, so a monthly job can be given a month.
 * Timeouts are kept exactly up to it (src/long-timeout.ts).
 */
export const MAX_JOB_TIMEOUT_SECONDS = 31 * 86_400;

export const JOB_STATUSES = ['WAITING', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['FINISHED', 'FAILED', 'CANCELLED']);

export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export const STEP_STATUSES = [
  'WAITING',
  'RUNNING',
  'FINISHED',
  'FAILED',
  'CANCELLED',
  'SKIPPED',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * RETRY: submitted by retryJob; its `retryOf` names the job it retries. BACKFILL: one trading day
 * of a backfill, its name the schedule's.
 */
export const ORIGIN_TYPES = ['ADHOC', 'SCHEDULE', 'STARTUP', 'RETRY', 'BACKFILL'] as const;
export type OriginType = (typeof ORIGIN_TYPES)[number];

export interface JobOrigin {
  type: OriginType;
  /**
   * The schedule's name for SCHEDULE; a short reason for STARTUP; null for ADHOC; for RETRY, the
   * origin name of the job retried.
   */
  name: string | null;
}

export interface StepState {
  name: string;
  componentName: string;
  kind: ComponentKind;
  status: StepStatus;
  /** Rows the step received (the length of its input when that is a list). */
  rowsIn: number | null;
  /** Rows the step passed on (the length of its output when that is a list). */
  rowsOut: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  /** Whatever summary the component recorded, e.g. a storager's per-target write results. */
  result: unknown;
  /** Latest progress the step reported (per label, e.g. per storage target). */
  progress: StepProgress[];
}

export interface Job {
  id: string;
  status: JobStatus;
  spec: JobSpec;
  origin: JobOrigin;
  submittedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  steps: StepState[];
  /** The job this one retries. */
  retryOf: string | null;
  timeoutMs: number | null;
  /** Log lines written so far (their seq runs 1..logCount without gaps). */
  logCount: number;
  /** The submitter's key: submitting with it again returns this job instead of a new one. */
  idempotencyKey: string | null;
  /** The trading day (YYYY-MM-DD) whose data the job produces; null for ad hoc jobs without one. */
  partition: string | null;
}

/**
 * The schedule whose "one successful run per partition" a job counts toward: its firings,
 * backfills and their retries. Ad hoc jobs with a partition are outside the rule.
 */
export function partitionOwner(job: Pick<Job, 'partition' | 'origin'>): string | null {
  if (job.partition === null || job.origin.name === null) return null;
  const { type } = job.origin;
  return type === 'SCHEDULE' || type === 'BACKFILL' || type === 'RETRY' ? job.origin.name : null;
}

/**
 * What a job holds in the store's unique partition key while it is waiting, running or finished
 * (null otherwise): one live or successful run per schedule and partition.
 */
export function partitionClaim(job: Pick<Job, 'status' | 'partition' | 'origin'>): string | null {
  const owner = partitionOwner(job);
  if (owner === null || job.status === 'FAILED' || job.status === 'CANCELLED') return null;
  return `${owner}|${job.partition}`;
}

export const LOG_LINE_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLineLevel = (typeof LOG_LINE_LEVELS)[number];

export interface LogLine {
  jobId: string;
  seq: number;
  time: Date;
  level: LogLineLevel;
  step: string | null;
  message: string;
}
