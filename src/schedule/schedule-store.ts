import { sql } from 'drizzle-orm';
import { isDuplicateKey } from '../storage/duplicate-key.js';
import type { SqlRunner } from '../storage/sql-runner.js';

/** What became of one firing of a schedule. */
export type FiringOutcome = 'SUBMITTED' | 'MISSED' | 'SKIPPED' | 'REJECTED';

/** One recorded firing. */
export interface StoredFiring {
  at: Date;
  jobId: string | null;
  outcome: FiringOutcome;
  partition: string | null;
  /** Why it ran nothing (skipped, rejected, no partition). */
  reason: string | null;
}

const runs = sql.identifier('schedule_runs');
const state = sql.identifier('schedule_state');
const name = sql.identifier('schedule_name');
const fireTime = sql.identifier('fire_time');

/**
 * The scheduler's memory across restarts, in the control store: one row per firing (its primary
 * key on schedule and firing time is what lets exactly one process run a firing when several
 * share the store) and whether a schedule is paused.
 */
export class ScheduleStore {
  constructor(private readonly db: SqlRunner) {}

  async lastFireTime(schedule: string): Promise<Date | null> {
    const rows = await this.db.all<{ last: number | string | null }>(
      sql`SELECT MAX(${fireTime}) AS ${sql.identifier('last')} FROM ${runs} WHERE ${name} = ${schedule}`,
    );
    const last = rows[0]?.last ?? null;
    return last === null ? null : new Date(Number(last));
  }

  /**
   * Records a firing; false when it was already recorded (another process took it, or it ran
   * before a restart), in which case the caller must not run it.
   *
   * A SUBMITTED claim also takes over a row that says only SKIPPED or MISSED with no job: those
   * are one process's local view (its own instances were busy, its tick came late), and another
   * process on time with a free instance may still run the firing. The conditional UPDATE keeps
   * the row the only gate: of several takers, one changes it.
   */
  async claimFiring(
    schedule: string,
    at: Date,
    outcome: FiringOutcome,
    jobId: string | null = null,
    details: { partition?: string; reason?: string } = {},
  ): Promise<boolean> {
    try {
      await this.db
        .run(sql`INSERT INTO ${runs} (${name}, ${fireTime}, ${sql.identifier('job_id')}, ${sql.identifier('outcome')}, ${sql.identifier('recorded_at')}, ${sql.identifier('partition_day')}, ${sql.identifier('reason')})
        VALUES (${schedule}, ${at.getTime()}, ${jobId}, ${outcome}, ${Date.now()}, ${details.partition ?? null}, ${details.reason ?? null})`);
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (outcome !== 'SUBMITTED') return false;
      const taken = await this.db
        .run(sql`UPDATE ${runs} SET ${sql.identifier('outcome')} = ${outcome},
        ${sql.identifier('recorded_at')} = ${Date.now()}, ${sql.identifier('partition_day')} = ${details.partition ?? null},
        ${sql.identifier('reason')} = ${null}
        WHERE ${name} = ${schedule} AND ${fireTime} = ${at.getTime()}
          AND ${sql.identifier('outcome')} IN ('SKIPPED', 'MISSED') AND ${sql.identifier('job_id')} IS NULL`);
      return taken > 0;
    }
  }

  async recordJob(
    schedule: string,
    at: Date,
    outcome: FiringOutcome,
    jobId: string | null,
    reason: string | null = null,
  ): Promise<void> {
    await this.db
      .run(sql`UPDATE ${runs} SET ${sql.identifier('job_id')} = ${jobId}, ${sql.identifier('outcome')} = ${outcome}, ${sql.identifier('reason')} = ${reason}
      WHERE ${name} = ${schedule} AND ${fireTime} = ${at.getTime()}`);
  }

  /** The stored firings of a schedule, newest first. */
  async firings(schedule: string, limit: number): Promise<StoredFiring[]> {
    const rows = await this.db.all<{
      fire_time: number | string;
      job_id: string | null;
      outcome: string;
      partition_day: string | null;
      reason: string | null;
    }>(
      sql`SELECT * FROM ${runs} WHERE ${name} = ${schedule} ORDER BY ${fireTime} DESC LIMIT ${limit}`,
    );
    return rows.map((r) => ({
      at: new Date(Number(r.fire_time)),
      jobId: r.job_id,
      outcome: r.outcome as FiringOutcome,
      partition: r.partition_day,
      reason: r.reason,
    }));
  }

  async pausedSchedules(): Promise<Set<string>> {
    const rows = await this.db.all<{ schedule_name: string }>(
      sql`SELECT ${name} FROM ${state} WHERE ${sql.identifier('paused')} = ${1}`,
    );
    return new Set(rows.map((r) => r.schedule_name));
  }

  async isPaused(schedule: string): Promise<boolean> {
    const rows = await this.db.all<{ paused: number | boolean }>(
      sql`SELECT ${sql.identifier('paused')} FROM ${state} WHERE ${name} = ${schedule}`,
    );
    return Boolean(rows[0]?.paused);
  }

  async setPaused(schedule: string, paused: boolean): Promise<void> {
    // Delete then insert: plain SQL both dialects accept, for a row that changes on a user's click.
    await this.db.run(sql`DELETE FROM ${state} WHERE ${name} = ${schedule}`);
    await this.db.run(
      sql`INSERT INTO ${state} (${name}, ${sql.identifier('paused')}, ${sql.identifier('updated_at')}) VALUES (${schedule}, ${paused ? 1 : 0}, ${Date.now()})`,
    );
  }
}
