import type { Pool, RowDataPacket } from 'mysql2/promise';
import { DB_NOW_MS } from './mysql-transaction.js';

/** One row of `server_process`: a live (or not yet pruned) server process. */
export interface ServerProcessRow {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  stopping: boolean;
  /** Jobs it has RUNNING, oldest first. */
  runningJobIds: string[];
}

export interface ProcessIdentity {
  id: string;
  host: string;
  pid: number;
}

/**
 * The `server_process` table: each process's row, written by itself (register, heartbeat,
 * stopping, deregister) and read by everyone. Times are the database's clock, so processes on
 * machines whose clocks disagree still agree on whose heartbeat is old.
 */
export class ProcessTable {
  constructor(private readonly pool: Pool) {}

  async register(me: ProcessIdentity): Promise<void> {
    await this.pool.execute(
      `INSERT INTO server_process (id, host, pid, started_at, heartbeat_at, stopping)
        VALUES (?, ?, ?, ${DB_NOW_MS}, ${DB_NOW_MS}, false)`,
      [me.id, me.host, me.pid],
    );
  }

  /** False when the row is gone: the others took this process for dead and pruned it. */
  async heartbeat(id: string): Promise<boolean> {
    const [header] = await this.pool.execute(
      `UPDATE server_process SET heartbeat_at = ${DB_NOW_MS} WHERE id = ?`,
      [id],
    );
    return (header as { affectedRows: number }).affectedRows > 0;
  }

  async markStopping(id: string): Promise<void> {
    await this.pool.execute(`UPDATE server_process SET stopping = true WHERE id = ?`, [id]);
  }

  async deregister(id: string): Promise<void> {
    await this.pool.execute(`DELETE FROM server_process WHERE id = ?`, [id]);
  }

  /** Every registered process, oldest first, with the jobs each has running. */
  async list(): Promise<ServerProcessRow[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT id, host, pid, started_at, heartbeat_at, stopping FROM server_process ORDER BY started_at, id`,
    );
    const [running] = await this.pool.query<RowDataPacket[]>(
      `SELECT id, claimed_by FROM jobs WHERE status = 'RUNNING' AND claimed_by IS NOT NULL ORDER BY id`,
    );
    const byProcess = new Map<string, string[]>();
    for (const r of running) {
      const list = byProcess.get(String(r.claimed_by)) ?? [];
      list.push(String(r.id));
      byProcess.set(String(r.claimed_by), list);
    }
    return rows.map((r) => ({
      id: String(r.id),
      host: String(r.host),
      pid: Number(r.pid),
      startedAt: new Date(Number(r.started_at)),
      heartbeatAt: new Date(Number(r.heartbeat_at)),
      stopping: Boolean(r.stopping),
      runningJobIds: byProcess.get(String(r.id)) ?? [],
    }));
  }
}
