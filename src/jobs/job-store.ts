import { sql, type SQL } from 'drizzle-orm';
import * as mysqlSchema from '../storage/schema/mysql.js';
import * as sqliteSchema from '../storage/schema/sqlite.js';
import { isDuplicateKey } from '../storage/duplicate-key.js';
import type { SqlRunner } from '../storage/sql-runner.js';
import { chunkLogLines } from './log-line-chunks.js';
import { countJobsByStatus, type JobStats } from './job-stats.js';
import { decodeJob, decodeLogLine, encodeJob, type JobRow, type LogLineRow } from './job-codec.js';
import type { Job, JobStatus, LogLine, OriginType } from './job.js';

/** Why an insert stored nothing: another job holds the key or the partition. */
export type InsertOutcome = 'inserted' | 'idempotency-key-taken' | 'partition-taken';

/** Origins whose jobs count toward a schedule's partitions (partitionOwner in job.ts). */
const PARTITION_ORIGINS = sql.raw(`('SCHEDULE', 'BACKFILL', 'RETRY')`);

// Both dialects name the index in their duplicate-key message: MySQL "for key 'jobs_partition_claim'",
// SQLite "UNIQUE constraint failed: jobs.partition_claim".
const isPartitionClash = (error: unknown): boolean => {
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if (/partition_claim/.test(e.message)) return true;
  return false;
};

export interface JobListFilter {
  statuses?: readonly JobStatus[];
  /** A schedule's name (or STARTUP reason): only jobs with this origin name. */
  originName?: string;
  /** Only jobs of these origin types (a schedule's own jobs are SCHEDULE, its retries RETRY). */
  originTypes?: readonly OriginType[];
  /** Only jobs for this trading day. */
  partition?: string;
  /** Only jobs older than this id (ids sort by submission time). */
  beforeId?: string;
  limit: number;
}

export interface PruneOptions {
  /** Finished jobs that finished before this time go. */
  finishedBefore: Date;
  /** At most this many finished jobs stay; the oldest go first. */
  keepAtMost: number;
}

/**
 * Jobs and their log lines, stored in the control target (embedded SQLite by default, or a MySQL
 * database). Everything a client can see of a job is read from here, so nothing about finished
 * jobs needs to stay in memory.
 */
export class JobStore {
  readonly #t: typeof mysqlSchema | typeof sqliteSchema;

  constructor(private readonly db: SqlRunner) {
    this.#t = db.dialect === 'mysql' ? mysqlSchema : sqliteSchema;
  }

  /**
   * Stores a new job, unless its idempotency key is taken (the caller then returns the job that
   * has it) or a live or finished job of its schedule holds its partition.
   */
  async insert(job: Job): Promise<InsertOutcome> {
    const row = encodeJob(job);
    const names = Object.keys(row).map((k) => sql.identifier(k));
    const values = Object.values(row).map((v) => sql`${v}`);
    try {
      await this.db.run(
        sql`INSERT INTO ${this.#t.jobs} (${sql.join(names, sql`, `)}) VALUES (${sql.join(values, sql`, `)})`,
      );
      return 'inserted';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (row.partition_claim !== null && isPartitionClash(error)) return 'partition-taken';
      if (job.idempotencyKey !== null) return 'idempotency-key-taken';
      throw error;
    }
  }

  /** The job holding a schedule's partition (waiting, running or finished), if any. */
  async partitionHolder(schedule: string, day: string): Promise<Job | undefined> {
    const rows = await this.db.all<JobRow>(
      sql`SELECT * FROM ${this.#t.jobs} WHERE ${sql.identifier('partition_claim')} = ${`${schedule}|${day}`}`,
    );
    return rows[0] && decodeJob(rows[0]);
  }

  /**
   * Lets a forced run take a partition from the finished job that holds it (that job stays, as
   * history); a waiting or running holder keeps it. True when the claim was released.
   */
  async releaseFinishedPartition(schedule: string, day: string): Promise<boolean> {
    const released = await this.db.run(
      sql`UPDATE ${this.#t.jobs} SET ${sql.identifier('partition_claim')} = NULL
        WHERE ${sql.identifier('partition_claim')} = ${`${schedule}|${day}`} AND ${sql.identifier('status')} = 'FINISHED'`,
    );
    return released > 0;
  }

  /** The latest partition a job of the schedule finished, or null. */
  async lastFinishedPartition(schedule: string): Promise<string | null> {
    const rows = await this.db.all<{ last: string | null }>(
      sql`SELECT MAX(${sql.identifier('partition_day')}) AS ${sql.identifier('last')} FROM ${this.#t.jobs}
        WHERE ${sql.identifier('origin_name')} = ${schedule} AND ${sql.identifier('origin_type')} IN ${PARTITION_ORIGINS}
        AND ${sql.identifier('status')} = 'FINISHED' AND ${sql.identifier('partition_day')} IS NOT NULL`,
    );
    return rows[0]?.last ?? null;
  }

  /** Every job of the schedule for a partition in [from, to], oldest first. */
  async partitionJobs(schedule: string, from: string, to: string): Promise<Job[]> {
    const day = sql.identifier('partition_day');
    const rows = await this.db.all<JobRow>(
      sql`SELECT * FROM ${this.#t.jobs}
        WHERE ${sql.identifier('origin_name')} = ${schedule} AND ${sql.identifier('origin_type')} IN ${PARTITION_ORIGINS}
        AND ${day} >= ${from} AND ${day} <= ${to} ORDER BY ${sql.identifier('id')}`,
    );
    return rows.map(decodeJob);
  }

  async getByIdempotencyKey(key: string): Promise<Job | undefined> {
    const rows = await this.db.all<JobRow>(
      sql`SELECT * FROM ${this.#t.jobs} WHERE ${sql.identifier('idempotency_key')} = ${key}`,
    );
    return rows[0] && decodeJob(rows[0]);
  }

  /** Writes every field that can change after submission. */
  async update(job: Job): Promise<void> {
    const row = encodeJob(job);
    await this.db.run(
      sql`UPDATE ${this.#t.jobs} SET ${changingFields(row)} WHERE ${sql.identifier('id')} = ${row.id}`,
    );
  }

  /**
   * Cluster mode: writes the job only while `processId` holds it (its claim) and it has not ended
   * in the store, or ended there as this very state says (the same status and finish time: a save
   * queued behind the one that stored the end writes the same end again). False when it wrote
   * nothing: the process was taken for dead and its pruner failed the job, whose FAILED (with the
   * pruner's own finish time) must stay (fencing, as a lease's token does).
   */
  async updateClaimed(job: Job, processId: string): Promise<boolean> {
    const row = encodeJob(job);
    const status = sql.identifier('status');
    const ownEnd =
      row.finished_at === null
        ? sql`FALSE`
        : sql`(${status} = ${row.status} AND ${sql.identifier('finished_at')} = ${row.finished_at})`;
    const matched = await this.db.update(sql`UPDATE ${this.#t.jobs} SET ${changingFields(row)}
      WHERE ${sql.identifier('id')} = ${row.id} AND ${sql.identifier('claimed_by')} = ${processId}
        AND (${status} IN ('WAITING', 'RUNNING') OR ${ownEnd})`);
    // Matched, not changed: a state saved twice changes nothing the second time and is still ours.
    return matched > 0;
  }

  async get(id: string): Promise<Job | undefined> {
    const rows = await this.db.all<JobRow>(
      sql`SELECT * FROM ${this.#t.jobs} WHERE ${sql.identifier('id')} = ${id}`,
    );
    return rows[0] && decodeJob(rows[0]);
  }

  /** Newest first. */
  async list(filter: JobListFilter): Promise<Job[]> {
    const conditions: SQL[] = [];
    if (filter.statuses && filter.statuses.length > 0) {
      conditions.push(
        sql`${sql.identifier('status')} IN (${sql.join(
          filter.statuses.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      );
    }
    if (filter.originName !== undefined)
      conditions.push(sql`${sql.identifier('origin_name')} = ${filter.originName}`);
    if (filter.originTypes && filter.originTypes.length > 0) {
      const types = sql.join(
        filter.originTypes.map((t) => sql`${t}`),
        sql`, `,
      );
      conditions.push(sql`${sql.identifier('origin_type')} IN (${types})`);
    }
    if (filter.partition !== undefined)
      conditions.push(sql`${sql.identifier('partition_day')} = ${filter.partition}`);
    if (filter.beforeId !== undefined)
      conditions.push(sql`${sql.identifier('id')} < ${filter.beforeId}`);
    const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const rows = await this.db.all<JobRow>(
      sql`SELECT * FROM ${this.#t.jobs} ${where} ORDER BY ${sql.identifier('id')} DESC LIMIT ${filter.limit}`,
    );
    return rows.map(decodeJob);
  }

  /** Exact counts: waiting and running jobs now, ended ones since `since` (null: all stored). */
  stats(since: Date | null): Promise<JobStats> {
    return countJobsByStatus(this.db, since);
  }

  /** Jobs in a status, oldest first (used at start-up: interrupted and waiting jobs). */
  async withStatus(status: JobStatus): Promise<Job[]> {
    const rows = await this.db.all<JobRow>(
      sql`SELECT * FROM ${this.#t.jobs} WHERE ${sql.identifier('status')} = ${status} ORDER BY ${sql.identifier('id')}`,
    );
    return rows.map(decodeJob);
  }

  /**
   * Stores lines in as few inserts as the server's packet limit allows. A line already stored is
   * left as it is (a line never changes once numbered), so a batch retried after a failure part
   * of the way through stores the rest and repeats nothing.
   */
  async appendLogLines(lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    const limit = await this.db.statementLimitBytes();
    const seq = sql.identifier('seq');
    const keepStored =
      this.db.dialect === 'mysql'
        ? sql`ON DUPLICATE KEY UPDATE ${seq} = ${seq}`
        : sql`ON CONFLICT DO NOTHING`;
    const columns = ['job_id', 'seq', 'time', 'level', 'step', 'message'].map((c) =>
      sql.identifier(c),
    );
    for (const chunk of chunkLogLines(lines, limit)) {
      const rows = chunk.map((line) => {
        const r: LogLineRow = {
          job_id: line.jobId,
          seq: line.seq,
          time: line.time.getTime(),
          level: line.level,
          step: line.step,
          message: line.message,
        };
        return sql`(${r.job_id}, ${r.seq}, ${r.time}, ${r.level}, ${r.step}, ${r.message})`;
      });
      await this.db.run(
        sql`INSERT INTO ${this.#t.jobLogLines} (${sql.join(columns, sql`, `)}) VALUES ${sql.join(rows, sql`, `)} ${keepStored}`,
      );
    }
  }

  /** Lines with seq > afterSeq, in order, at most `limit`. */
  async logLines(jobId: string, afterSeq: number, limit: number): Promise<LogLine[]> {
    const rows = await this.db.all<LogLineRow>(sql`SELECT * FROM ${this.#t.jobLogLines}
      WHERE ${sql.identifier('job_id')} = ${jobId} AND ${sql.identifier('seq')} > ${afterSeq}
      ORDER BY ${sql.identifier('seq')} LIMIT ${limit}`);
    return rows.map(decodeLogLine);
  }

  /** The highest seq stored for a job (0 when none): after a crash, the truth about its lines. */
  async lastLogSeq(jobId: string): Promise<number> {
    const rows = await this.db.all<{ last: number | string | null }>(
      sql`SELECT MAX(${sql.identifier('seq')}) AS ${sql.identifier('last')} FROM ${this.#t.jobLogLines} WHERE ${sql.identifier('job_id')} = ${jobId}`,
    );
    return Number(rows[0]?.last ?? 0);
  }

  /** Deletes old finished jobs and their lines; returns how many jobs went. */
  async prune(options: PruneOptions): Promise<number> {
    const final = sql`${sql.identifier('status')} IN ('FINISHED', 'FAILED', 'CANCELLED')`;
    const j = this.#t.jobs;
    const id = sql.identifier('id');
    // The id of the newest finished job beyond the count limit: it and everything older goes.
    const beyond = await this.db.all<{ id: string }>(
      sql`SELECT ${id} FROM ${j} WHERE ${final} ORDER BY ${id} DESC LIMIT 1 OFFSET ${options.keepAtMost}`,
    );
    const tooMany = beyond[0] ? sql` OR ${id} <= ${beyond[0].id}` : sql``;
    let removed = 0;
    for (;;) {
      const batch = await this.db.all<{ id: string }>(sql`SELECT ${id} FROM ${j}
        WHERE ${final} AND (${sql.identifier('finished_at')} < ${options.finishedBefore.getTime()}${tooMany})
        ORDER BY ${id} LIMIT 500`);
      if (batch.length === 0) return removed;
      const ids = sql.join(
        batch.map((r) => sql`${r.id}`),
        sql`, `,
      );
      await this.db.run(
        sql`DELETE FROM ${this.#t.jobLogLines} WHERE ${sql.identifier('job_id')} IN (${ids})`,
      );
      removed += await this.db.run(sql`DELETE FROM ${j} WHERE ${id} IN (${ids})`);
    }
  }
}

/** The SET list of every field that can change after submission. */
function changingFields(row: ReturnType<typeof encodeJob>): SQL {
  return sql`${sql.identifier('status')} = ${row.status},
    ${sql.identifier('steps')} = ${row.steps},
    ${sql.identifier('error')} = ${row.error},
    ${sql.identifier('started_at')} = ${row.started_at},
    ${sql.identifier('finished_at')} = ${row.finished_at},
    ${sql.identifier('log_count')} = ${row.log_count},
    ${sql.identifier('partition_claim')} = ${row.partition_claim}`;
}
