import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../../storage/sql-runner.js';
import type {
  Backfill,
  BackfillPartition,
  BackfillPartitionState,
  BackfillStatus,
} from './backfill.js';

interface BackfillRow {
  id: string;
  schedule_name: string;
  from_day: string;
  to_day: string;
  force: number | boolean;
  max_concurrent: number;
  status: string;
  created_at: number | string;
  finished_at: number | string | null;
  error: string | null;
}

interface PartitionRow {
  backfill_id: string;
  partition_day: string;
  job_id: string | null;
  state: string;
}

const backfills = sql.identifier('backfills');
const parts = sql.identifier('backfill_partitions');
const id = sql.identifier('id');
const backfillId = sql.identifier('backfill_id');
const day = sql.identifier('partition_day');
const drivenByColumn = sql.identifier('driven_by');
/** No live process drives it: none ever did, or the one that did was pruned as dead. */
const undriven = sql`(${drivenByColumn} IS NULL OR NOT EXISTS
  (SELECT 1 FROM ${sql.identifier('server_process')} p WHERE p.${id} = ${backfills}.${drivenByColumn}))`;

/**
 * Backfills and their partitions in the control store, so a backfill survives a restart: what is
 * still PENDING there is what is left to run.
 */
export class BackfillStore {
  constructor(private readonly db: SqlRunner) {}

  /** `drivenBy`: cluster mode, the process that will submit its partitions. */
  async insert(backfill: Backfill, drivenBy: string | null = null): Promise<void> {
    const b = backfill;
    await this.db.run(sql`INSERT INTO ${backfills}
      (${id}, ${sql.identifier('schedule_name')}, ${sql.identifier('from_day')}, ${sql.identifier('to_day')}, ${sql.identifier('force')}, ${sql.identifier('max_concurrent')}, ${sql.identifier('status')}, ${sql.identifier('created_at')}, ${sql.identifier('finished_at')}, ${sql.identifier('error')}, ${drivenByColumn})
      VALUES (${b.id}, ${b.schedule}, ${b.from}, ${b.to}, ${b.force ? 1 : 0}, ${b.maxConcurrent}, ${b.status}, ${b.createdAt.getTime()}, ${null}, ${null}, ${drivenBy})`);
    // A backfill spans at most a few thousand trading days: chunks keep each statement small.
    for (let i = 0; i < b.partitions.length; i += 500) {
      const rows = b.partitions
        .slice(i, i + 500)
        .map((p) => sql`(${b.id}, ${p.partition}, ${p.jobId}, ${p.state})`);
      await this.db.run(
        sql`INSERT INTO ${parts} (${backfillId}, ${day}, ${sql.identifier('job_id')}, ${sql.identifier('state')}) VALUES ${sql.join(rows, sql`, `)}`,
      );
    }
  }

  async setPartition(
    backfill: string,
    partition: string,
    state: BackfillPartitionState,
    jobId: string | null,
  ): Promise<void> {
    await this.db
      .run(sql`UPDATE ${parts} SET ${sql.identifier('state')} = ${state}, ${sql.identifier('job_id')} = ${jobId}
      WHERE ${backfillId} = ${backfill} AND ${day} = ${partition}`);
  }

  async setStatus(
    backfill: string,
    status: BackfillStatus,
    finishedAt: Date | null,
    error: string | null,
  ): Promise<void> {
    await this.db.run(sql`UPDATE ${backfills} SET ${sql.identifier('status')} = ${status},
      ${sql.identifier('finished_at')} = ${finishedAt?.getTime() ?? null}, ${sql.identifier('error')} = ${error}
      WHERE ${id} = ${backfill}`);
  }

  /**
   * Cluster mode: makes `processId` the one process driving a running backfill, when no live
   * process does (or it already does). One conditional UPDATE, so of several processes trying at
   * once exactly one gets it.
   */
  async take(backfill: string, processId: string): Promise<boolean> {
    const taken = await this.db.run(sql`UPDATE ${backfills} SET ${drivenByColumn} = ${processId}
      WHERE ${id} = ${backfill} AND ${sql.identifier('status')} = 'RUNNING'
        AND (${drivenByColumn} = ${processId} OR ${undriven})`);
    return taken > 0;
  }

  /** A stopping process lets its backfills go, so another takes them at its next heartbeat. */
  async release(backfill: string, processId: string): Promise<void> {
    await this.db.run(sql`UPDATE ${backfills} SET ${drivenByColumn} = ${null}
      WHERE ${id} = ${backfill} AND ${drivenByColumn} = ${processId}`);
  }

  /** Running backfills no live process drives. */
  async undriven(): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      sql`SELECT ${id} FROM ${backfills} WHERE ${sql.identifier('status')} = 'RUNNING' AND ${undriven} ORDER BY ${id}`,
    );
    return rows.map((r) => r.id);
  }

  async status(backfill: string): Promise<BackfillStatus | undefined> {
    const rows = await this.db.all<{ status: string }>(
      sql`SELECT ${sql.identifier('status')} FROM ${backfills} WHERE ${id} = ${backfill}`,
    );
    return rows[0]?.status as BackfillStatus | undefined;
  }

  async get(backfill: string): Promise<Backfill | undefined> {
    const rows = await this.db.all<BackfillRow>(
      sql`SELECT * FROM ${backfills} WHERE ${id} = ${backfill}`,
    );
    return rows[0] && this.#withPartitions(rows[0]);
  }

  /** Newest first. */
  async list(limit: number, status?: BackfillStatus): Promise<Backfill[]> {
    const where = status === undefined ? sql`` : sql`WHERE ${sql.identifier('status')} = ${status}`;
    const rows = await this.db.all<BackfillRow>(
      sql`SELECT * FROM ${backfills} ${where} ORDER BY ${id} DESC LIMIT ${limit}`,
    );
    return Promise.all(rows.map((r) => this.#withPartitions(r)));
  }

  async #withPartitions(row: BackfillRow): Promise<Backfill> {
    const rows = await this.db.all<PartitionRow>(
      sql`SELECT * FROM ${parts} WHERE ${backfillId} = ${row.id} ORDER BY ${day}`,
    );
    const partitions = rows.map((p): BackfillPartition => ({
      partition: p.partition_day,
      state: p.state as BackfillPartitionState,
      jobId: p.job_id,
    }));
    return {
      id: row.id,
      schedule: row.schedule_name,
      from: row.from_day,
      to: row.to_day,
      force: Number(row.force) === 1 || row.force === true,
      maxConcurrent: Number(row.max_concurrent),
      status: row.status as BackfillStatus,
      createdAt: new Date(Number(row.created_at)),
      finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)),
      error: row.error,
      partitions,
    };
  }
}
