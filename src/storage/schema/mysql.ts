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
  decimal,
  index,
  int,
  mediumtext,
  mysqlTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
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
    // BIGINT: a timeout may be up to 31 days, 2.7e9 ms, past INT's 2.1e9.
    timeoutMs: bigint('timeout_ms', { mode: 'number' }),
    submittedAt: bigint('submitted_at', { mode: 'number' }).notNull(),
    startedAt: bigint('started_at', { mode: 'number' }),
    finishedAt: bigint('finished_at', { mode: 'number' }),
    logCount: int('log_count').notNull().default(0),
    /** Unique: a second submission with the same key finds the first job (NULLs do not collide). */
    idempotencyKey: varchar('idempotency_key', { length: 200 }),
    /** The trading day (YYYY-MM-DD) whose data the job produces; null for ad hoc jobs without one. */
    partitionDay: varchar('partition_day', { length: 10 }),
    /**
     * `<schedule>|<day>` while the job is waiting, running or finished; null otherwise. Unique:
     * the store, not a check in memory, lets one live or successful run hold a partition
     * (NULLs do not collide, so failed and cancelled runs hold nothing).
     */
    partitionClaim: varchar('partition_claim', { length: 220 }),
    /** Cluster mode: the server_process that claimed the job (null while it waits to be claimed). */
    claimedBy: varchar('claimed_by', { length: 36 }),
    /** Cluster mode: a cancel asked for on another process; the claiming process acts on it. */
    cancelRequested: text('cancel_requested'),
  },
  (t) => [
    index('jobs_status_id').on(t.status, t.id),
    // finished_at first serves retention's range; status beside it lets jobStats count from the index alone.
    index('jobs_finished_at_status').on(t.finishedAt, t.status),
    uniqueIndex('jobs_idempotency_key').on(t.idempotencyKey),
    uniqueIndex('jobs_partition_claim').on(t.partitionClaim),
    index('jobs_origin_partition').on(t.originName, t.partitionDay),
    // A schedule's lastJob: its newest job, read backwards from the first match, no sort.
    index('jobs_origin_id').on(t.originName, t.id),
    index('jobs_claimed_by_status').on(t.claimedBy, t.status),
  ],
);

/** Cluster mode: the server processes sharing this control database, with their heartbeats. */
export const serverProcess = mysqlTable('server_process', {
  id: varchar('id', { length: 36 }).primaryKey(),
  host: varchar('host', { length: 255 }).notNull(),
  pid: int('pid').notNull(),
  startedAt: bigint('started_at', { mode: 'number' }).notNull(),
  heartbeatAt: bigint('heartbeat_at', { mode: 'number' }).notNull(),
  stopping: boolean('stopping').notNull().default(false),
});

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
    /** The trading day the firing was for (partitioned schedules). */
    partitionDay: varchar('partition_day', { length: 10 }),
    /** Why a firing ran nothing (skipped, no partition), in words. */
    reason: text('reason'),
  },
  // One row per firing: with several server processes, the unique key lets exactly one run it.
  (t) => [primaryKey({ columns: [t.scheduleName, t.fireTime] })],
);

export const scheduleState = mysqlTable('schedule_state', {
  scheduleName: varchar('schedule_name', { length: 200 }).primaryKey(),
  paused: boolean('paused').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

/** A range of a partitioned schedule's trading days run as one job each (`backfill`). */
export const backfills = mysqlTable('backfills', {
  id: varchar('id', { length: 26 }).primaryKey(),
  scheduleName: varchar('schedule_name', { length: 200 }).notNull(),
  fromDay: varchar('from_day', { length: 10 }).notNull(),
  toDay: varchar('to_day', { length: 10 }).notNull(),
  force: boolean('force').notNull(),
  maxConcurrent: int('max_concurrent').notNull(),
  /** RUNNING, FINISHED, FAILED or CANCELLED. */
  status: varchar('status', { length: 16 }).notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  finishedAt: bigint('finished_at', { mode: 'number' }),

  /** Why it failed or was cancelled. */
  error: text('error'),
  /**
   * Cluster mode: the server process driving it (submitting its partitions); taken over when
   * that process is pruned as dead.
   */
  drivenBy: varchar('driven_by', { length: 36 }),
});

/** One trading day of a backfill: `job_id` is null until its job is submitted (or when skipped). */
export const backfillPartitions = mysqlTable(
  'backfill_partitions',
  {
    backfillId: varchar('backfill_id', { length: 26 }).notNull(),
    partitionDay: varchar('partition_day', { length: 10 }).notNull(),
    jobId: varchar('job_id', { length: 26 }),
    /** PENDING (not yet submitted), SUBMITTED, SKIPPED (already done or running elsewhere). */
    state: varchar('state', { length: 16 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.backfillId, t.partitionDay] })],
);

/*
 * Market data. Prices, amounts and factors are exact decimals (DECIMAL here, canonical decimal
 * text in SQLite), never floats: BaoStock sends them as decimal strings, and a quant comparing
 * two databases must see the same digits. Scales are the most decimals BaoStock was seen to send
 * (10 for prices, 4 for amounts, 6 for turnover and change, shared/docs/baostock-protocol.md §9).
 */

/** One security BaoStock knows (stocks, indices, others), listed or delisted. */
export const security = mysqlTable('security', {
  /** BaoStock's code, e.g. `sh.600000`. */
  code: varchar('code', { length: 16 }).primaryKey(),
  name: varchar('name', { length: 64 }).notNull(),
  /** 1 stock, 2 index, 3 other, 4 convertible bond, 5 ETF. */
  type: smallint('type').notNull(),
  /** 1 listed, 0 delisted. */
  status: smallint('status').notNull(),
  ipoDate: date('ipo_date', { mode: 'string' }),
  /** Null while listed. */
  outDate: date('out_date', { mode: 'string' }),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull(),
});

/** One security's unadjusted daily bar; adjusted prices are computed from `adjust_factor`. */
export const dailyBar = mysqlTable(
  'daily_bar',
  {
    code: varchar('code', { length: 16 }).notNull(),
    tradeDate: date('trade_date', { mode: 'string' }).notNull(),
    open: decimal('open', { precision: 20, scale: 10 }),
    high: decimal('high', { precision: 20, scale: 10 }),
    low: decimal('low', { precision: 20, scale: 10 }),
    close: decimal('close', { precision: 20, scale: 10 }),
    preclose: decimal('preclose', { precision: 20, scale: 10 }),
    /** Shares. */
    volume: bigint('volume', { mode: 'number' }),
    amount: decimal('amount', { precision: 24, scale: 4 }),
    /** Turnover rate, percent. */
    turn: decimal('turn', { precision: 16, scale: 6 }),
    /** Change against the previous close, percent. */
    pctChg: decimal('pct_chg', { precision: 16, scale: 6 }),
    /** 1 traded, 0 suspended. */
    tradeStatus: smallint('trade_status').notNull(),
    isSt: boolean('is_st').notNull(),
    updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull(),
  },
  // A day's coverage (bars per trade date) is read by date across all codes.
  (t) => [
    primaryKey({ columns: [t.code, t.tradeDate] }),
    index('daily_bar_trade_date').on(t.tradeDate),
  ],
);

/** One ex-dividend event of a security: its factors hold from this date until the next row's. */
export const adjustFactor = mysqlTable(
  'adjust_factor',
  {
    code: varchar('code', { length: 16 }).notNull(),
    dividOperateDate: date('divid_operate_date', { mode: 'string' }).notNull(),
    foreAdjustFactor: decimal('fore_adjust_factor', { precision: 24, scale: 10 }).notNull(),
    backAdjustFactor: decimal('back_adjust_factor', { precision: 24, scale: 10 }).notNull(),
    adjustFactor: decimal('adjust_factor', { precision: 24, scale: 10 }).notNull(),
    updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.code, t.dividOperateDate] })],
);
