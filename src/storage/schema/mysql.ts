/**
 * MySQL/MariaDB tables. The SQLite twins are in `sqlite.ts`; the two must keep the same table and
 * column names, since the job store and the upsert write the same SQL shape to both.
 * Times of the job store are epoch milliseconds in BIGINT: exact, zone-free, and read back
 * identically from both dialects.
 */
import {
  bigint,
  boolean,
  date,
  datetime,
  index,
  int,
  mediumtext,
  mysqlTable,
  primaryKey,
  text,
  varchar,
} from 'drizzle-orm/mysql-core';

export const tradeDay = mysqlTable('trade_day', {
  calendarDate: date('calendar_date', { mode: 'string' }).primaryKey(),
  isTradingDay: boolean('is_trading_day').notNull(),
  source: varchar('source', { length: 32 }).notNull(),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull(),
});

export const jobs = mysqlTable(
  'jobs',
  {
    id: varchar('id', { length: 26 }).primaryKey(),
    status: varchar('status', { length: 16 }).notNull(),
    originType: varchar('origin_type', { length: 16 }).notNull(),
    originName: varchar('origin_name', { length: 200 }),
    spec: mediumtext('spec').notNull(),
    steps: mediumtext('steps').notNull(),
    error: text('error'),
    retryOf: varchar('retry_of', { length: 26 }),
    timeoutMs: int('timeout_ms'),
    submittedAt: bigint('submitted_at', { mode: 'number' }).notNull(),
    startedAt: bigint('started_at', { mode: 'number' }),
    finishedAt: bigint('finished_at', { mode: 'number' }),
    logCount: int('log_count').notNull().default(0),
  },
  (t) => [index('jobs_status_id').on(t.status, t.id), index('jobs_finished_at').on(t.finishedAt)],
);

export const jobLogLines = mysqlTable(
  'job_log_lines',
  {
    jobId: varchar('job_id', { length: 26 }).notNull(),
    seq: int('seq').notNull(),
    time: bigint('time', { mode: 'number' }).notNull(),
    level: varchar('level', { length: 8 }).notNull(),
    step: varchar('step', { length: 200 }),
    message: mediumtext('message').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

export const scheduleRuns = mysqlTable(
  'schedule_runs',
  {
    scheduleName: varchar('schedule_name', { length: 200 }).notNull(),
    fireTime: bigint('fire_time', { mode: 'number' }).notNull(),
    jobId: varchar('job_id', { length: 26 }),
    outcome: varchar('outcome', { length: 16 }).notNull(),
    recordedAt: bigint('recorded_at', { mode: 'number' }).notNull(),
  },
  // One row per firing: with several server processes, the unique key lets exactly one run it.
  (t) => [primaryKey({ columns: [t.scheduleName, t.fireTime] })],
);

export const scheduleState = mysqlTable('schedule_state', {
  scheduleName: varchar('schedule_name', { length: 200 }).primaryKey(),
  paused: boolean('paused').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});
