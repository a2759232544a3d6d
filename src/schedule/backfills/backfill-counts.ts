import type { JobStatus } from '../../jobs/job.js';
import type { BackfillCounts, BackfillPartition } from './backfill.js';

/**
 * Partitions by what their job came to: FINISHED is done, FAILED or CANCELLED failed. A job no
 * longer stored (pruned) counts as done: it was final long ago.
 */
export function countPartitions(
  partitions: readonly BackfillPartition[],
  statuses: ReadonlyMap<string, JobStatus>,
): BackfillCounts {
  const counts: BackfillCounts = {
    total: partitions.length,
    done: 0,
    failed: 0,
    running: 0,
    waiting: 0,
    pending: 0,
  };
  for (const p of partitions) {
    if (p.state === 'PENDING' || p.jobId === null) {
      counts.pending++;
      continue;
    }
    const status = statuses.get(p.jobId) ?? 'FINISHED';
    if (status === 'FINISHED') counts.done++;
    else if (status === 'FAILED' || status === 'CANCELLED') counts.failed++;
    else if (status === 'RUNNING') counts.running++;
    else counts.waiting++;
  }
  return counts;
}
