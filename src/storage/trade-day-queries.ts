import { sql } from 'drizzle-orm';
import { sqlRunnerFor, type SqlRunner } from './sql-runner.js';
import type { StorageTarget } from './targets.js';

export interface StoredTradeDay {
  calendarDate: string;
  isTradingDay: boolean;
  source: string;
}

interface Row {
  calendar_date: string | Date;
  is_trading_day: number | boolean | string;
  source: string;
}

// SQLite stores the date as text; MySQL's DATE comes back as a string too (dateStrings: ['DATE']).
const decode = (row: Row): StoredTradeDay => ({
  calendarDate:
    typeof row.calendar_date === 'string'
      ? row.calendar_date
      : row.calendar_date.toISOString().slice(0, 10),
  isTradingDay: Number(row.is_trading_day) === 1 || row.is_trading_day === true,
  source: row.source,
});

const date = sql.identifier('calendar_date');
const trading = sql.identifier('is_trading_day');
const table = sql.identifier('trade_day');

/**
 * Reads of the stored trading calendar on one target, for the API, the producer's default range
 * and the trading-day trigger. Dates are `YYYY-MM-DD` strings, compared as such in both dialects.
 */
export class TradeDayQueries {
  readonly #db: SqlRunner;

  constructor(target: StorageTarget) {
    this.#db = sqlRunnerFor(target);
  }

  /** The latest stored day (of rows from `source` when given), or null when there is none. */
  async latestDate(source?: string): Promise<string | null> {
    const where =
      source === undefined ? sql`` : sql` WHERE ${sql.identifier('source')} = ${source}`;
    const rows = await this.#db.all<{ latest: string | Date | null }>(
      sql`SELECT MAX(${date}) AS ${sql.identifier('latest')} FROM ${table}${where}`,
    );
    const latest = rows[0]?.latest ?? null;
    return latest === null
      ? null
      : typeof latest === 'string'
        ? latest
        : latest.toISOString().slice(0, 10);
  }

  async count(): Promise<number> {
    const rows = await this.#db.all<{ n: number | string }>(
      sql`SELECT COUNT(*) AS ${sql.identifier('n')} FROM ${table}`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Every stored day in [from, to], ascending. */
  async between(from: string, to: string): Promise<StoredTradeDay[]> {
    const rows = await this.#db.all<Row>(
      sql`SELECT ${date}, ${trading}, ${sql.identifier('source')} FROM ${table} WHERE ${date} >= ${from} AND ${date} <= ${to} ORDER BY ${date}`,
    );
    return rows.map(decode);
  }

  /** True or false from the stored calendar; undefined when the day is not stored. */
  async isTradingDay(day: string): Promise<boolean | undefined> {
    const rows = await this.#db.all<Row>(
      sql`SELECT ${date}, ${trading}, ${sql.identifier('source')} FROM ${table} WHERE ${date} = ${day}`,
    );
    return rows[0] ? decode(rows[0]).isTradingDay : undefined;
  }

  /** The first trading day after `day`, or null when none is stored. */
  async nextTradingDay(day: string): Promise<string | null> {
    const rows = await this.#db.all<Row>(
      sql`SELECT ${date}, ${trading}, ${sql.identifier('source')} FROM ${table} WHERE ${date} > ${day} AND ${trading} = ${1} ORDER BY ${date} LIMIT 1`,
    );
    return rows[0] ? decode(rows[0]).calendarDate : null;
  }

  /** The last trading day before `day`, or null when none is stored. */
  async previousTradingDay(day: string): Promise<string | null> {
    const rows = await this.#db.all<Row>(
      sql`SELECT ${date}, ${trading}, ${sql.identifier('source')} FROM ${table} WHERE ${date} < ${day} AND ${trading} = ${1} ORDER BY ${date} DESC LIMIT 1`,
    );
    return rows[0] ? decode(rows[0]).calendarDate : null;
  }

  /** Stored trading days in [from, to], ascending. */
  async tradingDaysBetween(from: string, to: string): Promise<string[]> {
    const rows = await this.#db.all<Row>(
      sql`SELECT ${date}, ${trading}, ${sql.identifier('source')} FROM ${table} WHERE ${date} >= ${from} AND ${date} <= ${to} AND ${trading} = ${1} ORDER BY ${date}`,
    );
    return rows.map((r) => decode(r).calendarDate);
  }

  /** The first and last stored day, or null when nothing is stored. */
  async storedRange(): Promise<{ first: string; last: string } | null> {
    const rows = await this.#db.all<{ first: string | Date | null; last: string | Date | null }>(
      sql`SELECT MIN(${date}) AS ${sql.identifier('first')}, MAX(${date}) AS ${sql.identifier('last')} FROM ${table}`,
    );
    const { first, last } = rows[0] ?? { first: null, last: null };
    if (first === null || last === null) return null;
    const text = (d: string | Date) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10));
    return { first: text(first), last: text(last) };
  }
}
