import type { PoolConnection } from 'mysql2/promise';
import { encodeJob } from '../jobs/job-codec.js';
import type { Job } from '../jobs/job.js';

/**
 * Writes what JobStore.update writes, on a connection inside a transaction: the cluster ends jobs
 * under the row locks it took, which the store's one-statement calls cannot hold.
 */
export async function updateJobRow(connection: PoolConnection, job: Job): Promise<void> {
  const row = encodeJob(job);
  await connection.execute(
    `UPDATE jobs SET status = ?, steps = ?, error = ?, started_at = ?, finished_at = ?,
      log_count = ?, partition_claim = ? WHERE id = ?`,
    [
      row.status,
      row.steps,
      row.error,
      row.started_at,
      row.finished_at,
      row.log_count,
      row.partition_claim,
      row.id,
    ],
  );
}
