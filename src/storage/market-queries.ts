import { sql, type SQL } from 'drizzle-orm';
import { canonicalDecimal } from '../sources/baostock/decimal.js';
import type { AdjustFactorRow, DailyBar } from '../sources/baostock/market-rows.js';
import { sqlRunnerFor, type SqlRunner } from './sql-runner.js';
import type { StorageTarget } from './targets.js';

export interface StoredSecurity {
  code: string;
  name: string;
  type: number;
  status: number;
  ipoDate: string | null;
  outDate: string | null;
}

export interface SecurityFilter {
  type?: number | null;
  status?: number | null;
  /** Part of the code or the name. */
  search?: string | null;
  /** Codes after this one (the page cursor). */
  after?: string | null;
  /** Exactly this code. */
  codeIs?: string;
  limit: number;
}

/** One trading day's bars on a target against the securities listed that day. */
export interface BarCoverageDay {
  day: string;
  /** Stocks (type 1) listed that day by the target's `security` table: IPO on or before, not yet delisted. */
  expected: number;
  /** Bars stored for the day (traded or suspended). */
  stored: number;
}

const id = (name: string) => sql.identifier(name);
const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  throw new TypeError(`unexpected value from the database: ${typeof v}`);
};
// Both dialects hand decimals back padded to the column's scale; clients get the shortest form.
const decimal = (v: unknown): string | null => {
  const t = text(v);
  return t === null ? null : (canonicalDecimal(t) ?? t);
};

/** Reads of the market tables on one target, for the API. Decimals come back as exact text. */
export class MarketQueries {
  readonly #db: SqlRunner;

  constructor(target: StorageTarget) {
    this.#db = sqlRunnerFor(target);
  }

  async securities(filter: SecurityFilter): Promise<StoredSecurity[]> {
    const where: SQL[] = [];
    if (filter.type != null) where.push(sql`${id('type')} = ${filter.type}`);
    if (filter.status != null) where.push(sql`${id('status')} = ${filter.status}`);
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        sql`(${id('code')} LIKE ${like} ESCAPE '\\' OR ${id('name')} LIKE ${like} ESCAPE '\\')`,
      );
    }
    if (filter.codeIs !== undefined) where.push(sql`${id('code')} = ${filter.codeIs}`);
    if (filter.after) where.push(sql`${id('code')} > ${filter.after}`);
    const clause = where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
    const rows = await this.#db.all<Record<string, unknown>>(
      sql`SELECT ${id('code')}, ${id('name')}, ${id('type')}, ${id('status')}, ${id('ipo_date')}, ${id('out_date')} FROM ${id('security')} ${clause} ORDER BY ${id('code')} LIMIT ${filter.limit}`,
    );
    return rows.map((r) => ({
      code: String(r.code),
      name: String(r.name),
      type: Number(r.type),
      status: Number(r.status),
      ipoDate: text(r.ipo_date),
      outDate: text(r.out_date),
    }));
  }

  async security(code: string): Promise<StoredSecurity | undefined> {
    const [row] = await this.securities({ after: null, limit: 1, codeIs: code });
    return row;
  }

  async dailyBars(code: string, from: string, to: string): Promise<DailyBar[]> {
    const rows = await this.#db.all<Record<string, unknown>>(
      sql`SELECT * FROM ${id('daily_bar')} WHERE ${id('code')} = ${code} AND ${id('trade_date')} >= ${from} AND ${id('trade_date')} <= ${to} ORDER BY ${id('trade_date')}`,
    );
    return rows.map((r) => ({
      code: String(r.code),
      tradeDate: text(r.trade_date)!,
      open: decimal(r.open),
      high: decimal(r.high),
      low: decimal(r.low),
      close: decimal(r.close),
      preclose: decimal(r.preclose),
      volume: r.volume === null ? null : Number(r.volume),
      amount: decimal(r.amount),
      turn: decimal(r.turn),
      pctChg: decimal(r.pct_chg),
      tradeStatus: Number(r.trade_status) === 1 ? 1 : 0,
      isSt: Number(r.is_st) === 1 || r.is_st === true,
    }));
  }

  /** Every factor row of the security dated up to `to`: the row in force on any day is among them. */
  async adjustFactors(code: string, to: string): Promise<AdjustFactorRow[]> {
    const rows = await this.#db.all<Record<string, unknown>>(
      sql`SELECT * FROM ${id('adjust_factor')} WHERE ${id('code')} = ${code} AND ${id('divid_operate_date')} <= ${to} ORDER BY ${id('divid_operate_date')}`,
    );
    return rows.map((r) => ({
      code: String(r.code),
      dividOperateDate: text(r.divid_operate_date)!,
      foreAdjustFactor: decimal(r.fore_adjust_factor)!,
      backAdjustFactor: decimal(r.back_adjust_factor)!,
      adjustFactor: decimal(r.adjust_factor)!,
    }));
  }

  /** Bars per day against stocks listed per day, for each of `days`. */
  async barCoverage(days: readonly string[]): Promise<BarCoverageDay[]> {
    if (days.length === 0) return [];
    const from = days[0]!;
    const to = days.at(-1)!;
    const stored = await this.#db.all<{ day: unknown; n: unknown }>(
      sql`SELECT ${id('trade_date')} AS ${id('day')}, COUNT(*) AS ${id('n')} FROM ${id('daily_bar')} WHERE ${id('trade_date')} >= ${from} AND ${id('trade_date')} <= ${to} GROUP BY ${id('trade_date')}`,
    );
    const storedOn = new Map(stored.map((r) => [text(r.day)!, Number(r.n)]));
    const listings = await this.#db.all<{ ipo_date: unknown; out_date: unknown }>(
      sql`SELECT ${id('ipo_date')}, ${id('out_date')} FROM ${id('security')} WHERE ${id('type')} = ${1}`,
    );
    const spans = listings.map((l) => ({ ipo: text(l.ipo_date), out: text(l.out_date) }));
    return days.map((day) => ({
      day,
      expected: spans.filter(
        (s) => (s.ipo === null || s.ipo <= day) && (s.out === null || s.out > day),
      ).length,
      stored: storedOn.get(day) ?? 0,
    }));
  }
}
