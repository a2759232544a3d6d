import type { JobSpec } from '../pipeline/job-spec.js';
import {
  partitionClaim,
  type Job,
  type JobStatus,
  type LogLine,
  type LogLineLevel,
  type OriginType,
  type StepState,
} from './job.js';

/** A `jobs` row as both dialects return it (BIGINT may come back as a string from MySQL). */
export interface JobRow {
  id: string;
  status: string;
  origin_type: string;
  origin_name: string | null;
  spec: string;
  steps: string;
  error: string | null;
  retry_of: string | null;
  timeout_ms: number | string | null;
  submitted_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  log_count: number;
  idempotency_key: string | null;
  partition_day: string | null;
  partition_claim: string | null;
}

export interface LogLineRow {
  job_id: string;
  seq: number;
  time: number | string;
  level: string;
  step: string | null;
  message: string;
}

type StoredStep = Omit<StepState, 'startedAt' | 'finishedAt'> & {
  startedAt: number | null;
  finishedAt: number | null;
};

export function encodeJob(job: Job): JobRow {
  const steps: StoredStep[] = job.steps.map((s) => ({
    ...s,
    startedAt: s.startedAt?.getTime() ?? null,
    finishedAt: s.finishedAt?.getTime() ?? null,
  }));
  return {
    id: job.id,
    status: job.status,
    origin_type: job.origin.type,
    origin_name: job.origin.name,
    spec: JSON.stringify(job.spec),
    steps: JSON.stringify(steps),
    error: job.error,
    retry_of: job.retryOf,
    timeout_ms: job.timeoutMs,
    submitted_at: job.submittedAt.getTime(),
    started_at: job.startedAt?.getTime() ?? null,
    finished_at: job.finishedAt?.getTime() ?? null,
    log_count: job.logCount,
    idempotency_key: job.idempotencyKey,
    partition_day: job.partition,
    partition_claim: partitionClaim(job),
  };
}

const toDate = (value: number | string | null): Date | null =>
  value === null ? null : new Date(Number(value));

export function decodeJob(row: JobRow): Job {
  const steps = (JSON.parse(row.steps) as StoredStep[]).map((s): StepState => ({
    ...s,
    startedAt: toDate(s.startedAt),
    finishedAt: toDate(s.finishedAt),
  }));
  return {
    id: row.id,
    status: row.status as JobStatus,
    spec: JSON.parse(row.spec) as JobSpec,
    origin: { type: row.origin_type as OriginType, name: row.origin_name },
    submittedAt: new Date(Number(row.submitted_at)),
    startedAt: toDate(row.started_at),
    finishedAt: toDate(row.finished_at),
    error: row.error,
    steps,
    retryOf: row.retry_of,
    timeoutMs: row.timeout_ms === null ? null : Number(row.timeout_ms),
    logCount: Number(row.log_count),
    idempotencyKey: row.idempotency_key ?? null,
    partition: row.partition_day ?? null,
  };
}

export function decodeLogLine(row: LogLineRow): LogLine {
  return {
    jobId: row.job_id,
    seq: Number(row.seq),
    time: new Date(Number(row.time)),
    level: row.level as LogLineLevel,
    step: row.step,
    message: row.message,
  };
}
