import type { Pool, RowDataPacket } from 'mysql2/promise';
import { AppError } from '../errors.js';
import { decodeJob, type JobRow } from '../jobs/job-codec.js';
import { isFinal, type Job } from '../jobs/job.js';
import { JobState } from '../jobs/job-state.js';
import { updateJobRow } from './job-row-update.js';
import { inTransaction } from './mysql-transaction.js';

/** This process's `server_process` row is gone: the others took it for dead and pruned it. */
export class ProcessGoneError extends AppError {
  readonly code = 'PROCESS_GONE';
  constructor(readonly processId: string) {
    super(
      `this process (${processId}) has no server_process row: the others took it for dead and pruned it`,
    );
  }
}

/** What a cancel asked for on any process found in the store. */
export type StoredCancel =
  | { kind: 'ended'; job: Job }
  | { kind: 'requested'; claimedBy: string }
  | { kind: 'final'; job: Job }
  | { kind: 'missing' };

export interface CancelRequest {
  jobId: string;
  reason: string;
}

/**
 * The shared queue: WAITING jobs in the control database, claimed by the processes that have free
 * slots, each job by exactly one.
 */
export class JobClaims {
  constructor(private readonly pool: Pool) {}

  /**
   * Claims up to `limit` of the oldest unclaimed WAITING jobs for `processId`. FOR UPDATE locks
   * the rows read until the claim is written in the same transaction, so no other process can
   * claim them too; SKIP LOCKED makes another process claiming at the same moment take the next
   * jobs instead of waiting for these (graphile-worker's getJobs, Solid Queue's claim). Ids sort
   * by submission time, so this is submission order.
   */
  async claim(processId: string, limit: number): Promise<Job[]> {
    if (limit < 1) return [];
    return inTransaction(this.pool, async (c) => {
      // Only a registered process claims: a claim by one whose row was pruned would never be
      // given back. The shared lock keeps a pruning of this process out until the claim commits
      // (the pruner then hands these jobs back, as it does every claimed, unstarted one).
      const [me] = await c.query<RowDataPacket[]>(
        `SELECT id FROM server_process WHERE id = ? LOCK IN SHARE MODE`,
        [processId],
      );
      if (me.length === 0) throw new ProcessGoneError(processId);
      const [rows] = await c.query<RowDataPacket[]>(
        `SELECT * FROM jobs WHERE status = 'WAITING' AND claimed_by IS NULL
          ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => String(r.id));
      await c.query(`UPDATE jobs SET claimed_by = ? WHERE id IN (?)`, [processId, ids]);
      return rows.map((r) => decodeJob(r as unknown as JobRow));
    });
  }

  /**
   * Cancels a job that no process here knows: one still waiting unclaimed ends at once (under
   * its row lock, so no process claims it meanwhile); one claimed by a process gets a request
   * that process acts on (`requestsFor`).
   */
  async cancel(jobId: string, reason: string): Promise<StoredCancel> {
    return inTransaction(this.pool, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(`SELECT * FROM jobs WHERE id = ? FOR UPDATE`, [
        jobId,
      ]);
      const row = rows[0];
      if (!row) return { kind: 'missing' };
      const job = decodeJob(row as unknown as JobRow);
      if (isFinal(job.status)) return { kind: 'final', job };
      if (row.claimed_by === null) {
        new JobState(job).end({ status: 'CANCELLED', error: reason });
        await updateJobRow(c, job);
        return { kind: 'ended', job };
      }
      await c.execute(`UPDATE jobs SET cancel_requested = ? WHERE id = ?`, [reason, jobId]);
      return { kind: 'requested', claimedBy: String(row.claimed_by) };
    });
  }

  /** Cancels asked for, on other processes, of jobs this process has claimed and not ended. */
  async requestsFor(processId: string): Promise<CancelRequest[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT id, cancel_requested FROM jobs WHERE claimed_by = ? AND cancel_requested IS NOT NULL
        AND status IN ('WAITING', 'RUNNING')`,
      [processId],
    );
    return rows.map((r) => ({ jobId: String(r.id), reason: String(r.cancel_requested) }));
  }

  /** Jobs this process claimed but will not run (it is stopping): back to the others. */
  async release(processId: string, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.pool.query(
      `UPDATE jobs SET claimed_by = NULL WHERE claimed_by = ? AND status = 'WAITING' AND id IN (?)`,
      [processId, jobIds],
    );
  }
}
