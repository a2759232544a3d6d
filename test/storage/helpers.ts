/** Targets, rows and reads shared by the storage tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName, isTable } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import pino, { type Logger } from 'pino';
import { Secret } from '../../src/config/secret.js';
import type { MysqlTargetConfig } from '../../src/config/storage-config.js';
import { MysqlTarget } from '../../src/storage/mysql-target.js';
import * as mysqlSchema from '../../src/storage/schema/mysql.js';
import { SqliteTarget } from '../../src/storage/sqlite-target.js';
import type { RetryPolicy, TradeDayRow } from '../../src/storage/upsert/index.js';

/** Every table the migrations create, sorted, with drizzle's own bookkeeping table. */
export const MIGRATED_TABLES: readonly string[] = [
  '__drizzle_migrations',
  ...Object.values(mysqlSchema)
    .filter(isTable)
    .map((table) => getTableName(table)),
].sort();

export const quietLogger: Logger = pino({ level: 'silent' });

/** Retries quick enough for a test, still through the real backoff code. */
export const FAST_RETRY: RetryPolicy = {
  attempts: 3,
  firstDelayMs: 20,
  factor: 2,
  maxDelayMs: 100,
  jitter: 0,
};

export interface ServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Only the connection fields (a MariadbInstance also carries methods mysql2 would warn about). */
export function address(server: ServerAddress): ServerAddress {
  return { host: server.host, port: server.port, user: server.user, password: server.password };
}

export function mysqlTarget(
  name: string,
  server: ServerAddress,
  database: string,
  pool: Partial<MysqlTargetConfig['pool']> = {},
  bulkLoad: MysqlTargetConfig['bulkLoad'] = 'auto',
  logger: Logger = quietLogger,
): MysqlTarget {
  const config: MysqlTargetConfig = {
    dialect: 'mysql',
    name,
    host: server.host,
    port: server.port,
    user: server.user,
    password: new Secret(server.password),
    database,
    charset: 'utf8mb4',
    createDatabase: true,
    pool: { connectionLimit: 4, connectTimeoutMs: 5000, queryTimeoutMs: 60_000, ...pool },
    bulkLoad,
  };
  return new MysqlTarget(config, logger);
}

/** An SQLite file in a fresh temporary folder; `remove()` deletes the folder. */
export function sqliteTarget(name: string): { target: SqliteTarget; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fda-storage-'));
  const target = new SqliteTarget(
    { dialect: 'sqlite', name, file: join(dir, `${name}.sqlite`) },
    quietLogger,
  );
  return {
    target,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const DAY_MS = 86_400_000;

/** `count` consecutive days from `from`, trading on weekdays, as a calendar source would give them. */
export function tradeDays(count: number, from = '1990-12-19', source = 'baostock'): TradeDayRow[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(start + i * DAY_MS);
    const weekday = day.getUTCDay();
    return {
      calendarDate: day.toISOString().slice(0, 10),
      isTradingDay: weekday !== 0 && weekday !== 6,
      source,
    };
  });
}

export interface StoredTradeDay extends TradeDayRow {
  updatedAt: number;
}

/** Every trade_day row of a MySQL database, by date. */
export async function readMysqlTradeDays(
  server: ServerAddress,
  database: string,
): Promise<StoredTradeDay[]> {
  const c = await mysql.createConnection({ ...address(server), database, dateStrings: true });
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'SELECT calendar_date, is_trading_day, source, updated_at FROM trade_day ORDER BY calendar_date',
    );
    return rows.map((r) => ({
      calendarDate: String(r.calendar_date),
      isTradingDay: Number(r.is_trading_day) === 1,
      source: String(r.source),
      updatedAt: Date.parse(`${String(r.updated_at).replace(' ', 'T')}Z`),
    }));
  } finally {
    await c.end();
  }
}

export async function countMysqlTradeDays(
  server: ServerAddress,
  database: string,
): Promise<number> {
  const c = await mysql.createConnection({ ...address(server), database });
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM trade_day');
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

export async function readSqliteTradeDays(target: SqliteTarget): Promise<StoredTradeDay[]> {
  const { sqlite } = await target.connect();
  const rows = sqlite
    .prepare(
      'SELECT calendar_date, is_trading_day, source, updated_at FROM trade_day ORDER BY calendar_date',
    )
    .all() as Array<{
    calendar_date: string;
    is_trading_day: number;
    source: string;
    updated_at: number;
  }>;
  return rows.map((r) => ({
    calendarDate: r.calendar_date,
    isTradingDay: r.is_trading_day === 1,
    source: r.source,
    updatedAt: r.updated_at,
  }));
}

/** Drops the row's change time, to compare contents with what was written. */
export function withoutTimes(rows: readonly StoredTradeDay[]): TradeDayRow[] {
  return rows.map(({ calendarDate, isTradingDay, source }) => ({
    calendarDate,
    isTradingDay,
    source,
  }));
}

/** Runs SQL on a MySQL server as root-like test user (database optional). */
export async function onServer<T>(
  server: ServerAddress,
  database: string | undefined,
  work: (c: mysql.Connection) => Promise<T>,
): Promise<T> {
  const c = await mysql.createConnection({ ...address(server), database });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}
