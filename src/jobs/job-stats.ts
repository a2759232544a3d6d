import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import * as mysqlSchema from '../storage/schema/mysql.js';
import * as sqliteSchema from '../storage/schema/sqlite.js';
import type { SqlRunner } from '../storage/sql-runner.js';
import { JOB_STATUSES, type JobStatus } from './job.js';

/** Exact job counts: the live ones now, the ended ones since a time. */
export interface JobStats {
  /** Ended jobs are counted from this time on (null: every stored one). */
  since: Date | null;
  counts: Record<JobStatus, number>;
}

const countRow = z.object({
  status: z.enum(JOB_STATUSES, { error: (i) => `status: ${String(i.input)} is not a job status` }),
  // COUNT(*) is a BIGINT: mysql2 hands it back as a string.
  n: z.coerce.number().int().nonnegative(),
});

/**
 * One GROUP BY over the index (finished_at, status): jobs not yet ended have no finished_at, so
 * "live now or ended since" is two ranges of that index (IS NULL, and >= since) and the rows are
 * never read. Both dialects plan it that way (test/jobs/job-stats.test.ts checks the plan).
 */
export function jobStatsStatement(dialect: 'mysql' | 'sqlite', since: Date | null): SQL {
  const jobs = dialect === 'mysql' ? mysqlSchema.jobs : sqliteSchema.jobs;
  const finishedAt = sql.identifier('finished_at');
  const status = sql.identifier('status');
  const ended =
    since === null ? sql`${finishedAt} IS NOT NULL` : sql`${finishedAt} >= ${since.getTime()}`;
  // SQLite would rather scan (status, id) in order than sort five groups; the unary plus keeps
  // the GROUP BY from pulling it onto that index. MySQL does not need it (and may refuse it
  // under ONLY_FULL_GROUP_BY).
  const group = dialect === 'sqlite' ? sql`+${status}` : status;
  return sql`SELECT ${status}, COUNT(*) AS ${sql.identifier('n')} FROM ${jobs}
    WHERE (${finishedAt} IS NULL AND ${status} IN ('WAITING', 'RUNNING')) OR ${ended}
    GROUP BY ${group}`;
}

export async function countJobsByStatus(db: SqlRunner, since: Date | null): Promise<JobStats> {
  const rows = await db.all<unknown>(jobStatsStatement(db.dialect, since));
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const [i, raw] of rows.entries()) {
    const parsed = countRow.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `job counts, row ${i}: ${parsed.error.issues.map((e) => `${e.path.join('.') || 'row'}: ${e.message}`).join('; ')}`,
      );
    counts[parsed.data.status] += parsed.data.n;
  }
  return { since, counts };
}
