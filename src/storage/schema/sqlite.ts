/** SQLite twins of the tables in `mysql.ts` (same table and column names; see there). */
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const tradeDay = sqliteTable('trade_day', {
  calendarDate: text('calendar_date').primaryKey(),
  isTradingDay: integer('is_trading_day', { mode: 'boolean' }).notNull(),
  source: text('source').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    status: text('status').notNull(),
    originType: text('origin_type').notNull(),
    originName: text('origin_name'),
    spec: text('spec').notNull(),
    steps: text('steps').notNull(),
    error: text('error'),
    retryOf: text('retry_of'),
    timeoutMs: integer('timeout_ms'),
    submittedAt: integer('submitted_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    logCount: integer('log_count').notNull().default(0),
    idempotencyKey: text('idempotency_key'),
    partitionDay: text('partition_day'),
    partitionClaim: text('partition_claim'),
    claimedBy: text('claimed_by'),
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

/** Cluster mode only runs on MySQL; the table is here so both schemas stay alike. */
export const serverProcess = sqliteTable('server_process', {
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: integer('started_at').notNull(),
  heartbeatAt: integer('heartbeat_at').notNull(),
  stopping: integer('stopping', { mode: 'boolean' }).notNull().default(false),
});

export const jobLogLines = sqliteTable(
  'job_log_lines',
  {
    jobId: text('job_id').notNull(),
    seq: integer('seq').notNull(),
    time: integer('time').notNull(),
    level: text('level').notNull(),
    step: text('step'),
    message: text('message').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

export const scheduleRuns = sqliteTable(
  'schedule_runs',
  {
    scheduleName: text('schedule_name').notNull(),
    fireTime: integer('fire_time').notNull(),
    jobId: text('job_id'),
    outcome: text('outcome').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    partitionDay: text('partition_day'),
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.scheduleName, t.fireTime] })],
);

export const scheduleState = sqliteTable('schedule_state', {
  scheduleName: text('schedule_name').primaryKey(),
  paused: integer('paused', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const backfills = sqliteTable('backfills', {
  id: text('id').primaryKey(),
  scheduleName: text('schedule_name').notNull(),
  fromDay: text('from_day').notNull(),
  toDay: text('to_day').notNull(),
  force: integer('force', { mode: 'boolean' }).notNull(),
  maxConcurrent: integer('max_concurrent').notNull(),
  status: text('status').notNull(),
  createdAt: integer('created_at').notNull(),
  finishedAt: integer('finished_at'),

  error: text('error'),
  drivenBy: text('driven_by'),
});

export const backfillPartitions = sqliteTable(
  'backfill_partitions',
  {
    backfillId: text('backfill_id').notNull(),
    partitionDay: text('partition_day').notNull(),
    jobId: text('job_id'),
    state: text('state').notNull(),
  },
  (t) => [primaryKey({ columns: [t.backfillId, t.partitionDay] })],
);

/* Market data; decimals are canonical decimal text (see mysql.ts). */

export const security = sqliteTable('security', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  type: integer('type').notNull(),
  status: integer('status').notNull(),
  ipoDate: text('ipo_date'),
  outDate: text('out_date'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const dailyBar = sqliteTable(
  'daily_bar',
  {
    code: text('code').notNull(),
    tradeDate: text('trade_date').notNull(),
    open: text('open'),
    high: text('high'),
    low: text('low'),
    close: text('close'),
    preclose: text('preclose'),
    volume: integer('volume'),
    amount: text('amount'),
    turn: text('turn'),
    pctChg: text('pct_chg'),
    tradeStatus: integer('trade_status').notNull(),
    isSt: integer('is_st', { mode: 'boolean' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.code, t.tradeDate] }),
    index('daily_bar_trade_date').on(t.tradeDate),
  ],
);

export const adjustFactor = sqliteTable(
  'adjust_factor',
  {
    code: text('code').notNull(),
    dividOperateDate: text('divid_operate_date').notNull(),
    foreAdjustFactor: text('fore_adjust_factor').notNull(),
    backAdjustFactor: text('back_adjust_factor').notNull(),
    adjustFactor: text('adjust_factor').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.code, t.dividOperateDate] })],
);
