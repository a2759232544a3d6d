import { partitionClaim, type Job } from '../../jobs/job.js';

export const PARTITION_STATUSES = ['MISSING', 'WAITING', 'RUNNING', 'FINISHED', 'FAILED'] as const;
export type PartitionStatus = (typeof PARTITION_STATUSES)[number];

/** One trading day of a partitioned schedule: what its runs came to. */
export interface PartitionEntry {
  partition: string;
  status: PartitionStatus;
  /** The job that decides the status: the one holding the partition, else the latest run. */
  job: Job | null;
  /** Rows that job's storagers wrote (or found unchanged), summed over storagers; null when none ran. */
  rowsWritten: number | null;
}

/**
 * Each trading day's status from the schedule's jobs for it (oldest first): the job holding the
 * partition (waiting, running or finished) decides; without one, the latest run's failure (or
 * cancellation) makes it FAILED; no run at all is MISSING.
 */
export function partitionEntries(
  tradingDays: readonly string[],
  jobs: readonly Job[],
): PartitionEntry[] {
  const byDay = new Map<string, Job[]>();
  for (const job of jobs) {
    if (job.partition === null) continue;
    byDay.set(job.partition, [...(byDay.get(job.partition) ?? []), job]);
  }
  return tradingDays.map((partition) => {
    const runs = byDay.get(partition) ?? [];
    // The newest holder wins: a forced run took the partition over from a finished one.
    const job = runs.findLast((j) => partitionClaim(j) !== null) ?? runs.at(-1) ?? null;
    return {
      partition,
      status: job === null ? 'MISSING' : statusOf(job),
      job,
      rowsWritten: job === null ? null : rowsWritten(job),
    };
  });
}

function statusOf(job: Job): PartitionStatus {
  if (job.status === 'CANCELLED') return 'FAILED';
  return job.status;
}

/**
 * Rows a job's storagers wrote: per storager, the most any of its targets took in (inserted,
 * updated or unchanged, from the per-target results it records), else the rows it received.
 */
export function rowsWritten(job: Job): number | null {
  let total: number | null = null;
  for (const step of job.steps) {
    if (step.kind !== 'STORAGER' || step.status === 'WAITING' || step.status === 'SKIPPED')
      continue;
    const perTarget = targetCounts(step.result);
    const rows = perTarget.length > 0 ? Math.max(...perTarget) : step.rowsIn;
    if (rows !== null) total = (total ?? 0) + rows;
  }
  return total;
}

function targetCounts(result: unknown): number[] {
  if (typeof result !== 'object' || result === null) return [];
  const targets = (result as { targets?: unknown }).targets;
  if (!Array.isArray(targets)) return [];
  return targets.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null) return [];
    const { inserted, updated, unchanged } = t as Record<string, unknown>;
    const counts = [inserted, updated, unchanged];
    return counts.every((n) => typeof n === 'number')
      ? [counts.reduce<number>((a, n) => a + n, 0)]
      : [];
  });
}
