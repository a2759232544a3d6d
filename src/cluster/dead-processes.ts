import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { decodeJob, type JobRow } from '../jobs/job-codec.js';
import type { Job } from '../jobs/job.js';
import { JobState } from '../jobs/job-state.js';
import { updateJobRow } from './job-row-update.js';
import { DB_NOW_MS, inTransaction } from './mysql-transaction.js';

/** The error a job gets when the process running it stops answering (Solid Queue's pruning). */
export const stoppedRespondingReason = (id: string, host: string): string =>
  `process ${id} on ${host} stopped responding`;

/** Whether a job's error is the one its pruning wrote (it did not fail by itself). */
export const isStoppedRespondingReason = (error: string | null): boolean =>
  error !== null && /^process \S+ on .* stopped responding$/.test(error);

export interface PrunedProcess {
  id: string;
  host: string;
  /** Its RUNNING jobs, now FAILED. */
  failed: Job[];
  /** Jobs it had claimed but not started: back in the queue for the others. */
  released: number;
}

/**
 * Finds processes whose heartbeat is older than `deadAfterMs` and, for each in one transaction,
 * fails the jobs it had running, gives back the ones it had claimed but not started, and deletes
 * its row. SKIP LOCKED on the process row lets every live process look at once while only one
 * prunes a given dead one.
 */
export async function pruneDeadProcesses(
  pool: Pool,
  deadAfterMs: number,
): Promise<PrunedProcess[]> {
  const [candidates] = await pool.query<RowDataPacket[]>(
    `SELECT id FROM server_process WHERE heartbeat_at < ${DB_NOW_MS} - ?`,
    [deadAfterMs],
  );
  const pruned: PrunedProcess[] = [];
  for (const candidate of candidates) {
    const done = await inTransaction(pool, async (c) => {
      // Looked at again under the lock: it may have beaten, or been pruned, since.
      const [rows] = await c.query<RowDataPacket[]>(
        `SELECT id, host FROM server_process WHERE id = ? AND heartbeat_at < ${DB_NOW_MS} - ?
          FOR UPDATE SKIP LOCKED`,
        [candidate.id, deadAfterMs],
      );
      const dead = rows[0];
      return dead ? pruneLocked(c, String(dead.id), String(dead.host)) : undefined;
    });
    if (done) pruned.push(done);
  }
  return pruned;
}

/**
 * Prunes one process now, whatever its heartbeat says: what an operator does by hand for a
 * process known to be gone (and what the fencing tests do to a live one). Undefined when it has
 * no row.
 */
export function pruneProcess(pool: Pool, id: string): Promise<PrunedProcess | undefined> {
  return inTransaction(pool, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT id, host FROM server_process WHERE id = ? FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    return row ? pruneLocked(c, String(row.id), String(row.host)) : undefined;
  });
}

/** Inside the transaction that holds the process row's lock: its jobs, then the row. */
async function pruneLocked(c: PoolConnection, id: string, host: string): Promise<PrunedProcess> {
  const [jobs] = await c.query<RowDataPacket[]>(
    `SELECT * FROM jobs WHERE claimed_by = ? AND status = 'RUNNING' ORDER BY id FOR UPDATE`,
    [id],
  );
  const failed: Job[] = [];
  for (const row of jobs) {
    const job = decodeJob(row as unknown as JobRow);
    const [last] = await c.query<RowDataPacket[]>(
      `SELECT MAX(seq) AS last FROM job_log_lines WHERE job_id = ?`,
      [job.id],
    );
    job.logCount = Number(last[0]?.last ?? 0);
    if (!new JobState(job).interrupt(stoppedRespondingReason(id, host))) continue;
    await updateJobRow(c, job);
    failed.push(job);
  }
  const [released] = await c.execute(
    `UPDATE jobs SET claimed_by = NULL WHERE claimed_by = ? AND status = 'WAITING'`,
    [id],
  );
  await c.execute(`DELETE FROM server_process WHERE id = ?`, [id]);
  return { id, host, failed, released: (released as { affectedRows: number }).affectedRows };
}
