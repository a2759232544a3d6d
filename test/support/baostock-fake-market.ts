/**
 * Market data for the fake BaoStock server: the captured universe of 2024-01-02 and synthetic,
 * deterministic bars and factors. Every value is a function of the code and the date (hashed),
 * so any range of any security can be served, and served again identically, without storage:
 * consistent OHLC (low ≤ open, close ≤ high), a suspended day now and then (tradestatus 0,
 * volume 0, empty turn and pctChg), ST flags on some codes, and a few ex-dividend dates a year.
 * Values are written as the real service writes them: prices with 4 decimals, volumes whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from './reference-data.js';

export type FakeUniverseRow = readonly [code: string, tradeStatus: string, name: string];

export const K_LINE_COLUMNS = [
  'date',
  'code',
  'open',
  'high',
  'low',
  'close',
  'preclose',
  'volume',
  'amount',
  'adjustflag',
  'turn',
  'tradestatus',
  'pctChg',
  'isST',
] as const;

/** The 5,638 rows of `query_all_stock/response.bin` (read straight from the capture). */
export function capturedUniverse(): FakeUniverseRow[] {
  const text = readFileSync(
    join(sharedDataDir, 'baostock', 'query_all_stock', 'response.bin'),
    'utf8',
  );
  // Field 6 of the body; the 21-byte header runs straight into field 0.
  const data = text.slice(21).split('\x01')[6] ?? '';
  return (JSON.parse(data) as { record: FakeUniverseRow[] }).record;
}

/** Indices are `sh.000…` and `sz.399…`; the rest of the capture is stocks (type 1). */
export function isIndexCode(code: string): boolean {
  return code.startsWith('sh.000') || code.startsWith('sz.399');
}

export interface FakeMarket {
  /** Rows of query_all_stock for a day: the universe on trading days, none on closed days. */
  allStock(day: string): string[][];
  /** Rows of query_stock_basic (`code, code_name, ipoDate, outDate, type, status`). */
  stockBasic(code: string): string[][];
  /** K-line rows of one code over [from, to], in the order of `fields`. */
  dailyBars(code: string, fields: readonly string[], from: string, to: string): string[][];
  /** Factor rows dated within [from, to] (`code, dividOperateDate, fore, back, adjust`). */
  adjustFactors(code: string, from: string, to: string): string[][];
  /** The ex-dividend dates the fake uses for a code (for tests that check adjustment). */
  exDividendDates(code: string): string[];
}

export interface FakeMarketOptions {
  universe?: readonly FakeUniverseRow[];
  /** Trading days, ascending (e.g. the reference calendar's). */
  tradingDays: readonly string[];
}

/** FNV-1a over the text: a small, stable seed per code and date. */
export function seed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final mix so neighbouring dates do not give neighbouring values.
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return h >>> 0;
}

const price4 = (cents: number): string =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}00`;
/** `units / 10^places` written with exactly `places` decimals. */
function fixed(units: number, places: number): string {
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

interface FakeBar {
  open: number;
  high: number;
  low: number;
  close: number;
  suspended: boolean;
  hash: number;
}

export function createFakeMarket(options: FakeMarketOptions): FakeMarket {
  const universe = options.universe ?? capturedUniverse();
  const byCode = new Map(universe.map((row) => [row[0], row]));
  const days = options.tradingDays;
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const factorCache = new Map<string, string[][]>();

  const closeOf = (code: string, day: string): number => {
    const base = 500 + (seed(code) % 4500);
    const h = seed(`${code}|${day}`);
    return base + Math.round((base * ((h % 2001) - 1000)) / 10_000);
  };

  const barOf = (code: string, day: string, previousClose: number): FakeBar => {
    const h = seed(`${code}|${day}|bar`);
    if (h % 53 === 7)
      return {
        open: previousClose,
        high: previousClose,
        low: previousClose,
        close: previousClose,
        suspended: true,
        hash: h,
      };
    const close = closeOf(code, day);
    const open = Math.max(1, close + Math.round((close * (((h >>> 11) % 201) - 100)) / 10_000));
    const high = Math.max(open, close) + ((h >>> 19) % 50);
    const low = Math.max(1, Math.min(open, close) - ((h >>> 25) % 30));
    return { open, high, low, close, suspended: false, hash: h };
  };

  const previousCloseOf = (code: string, index: number): number =>
    index === 0 ? closeOf(code, days[0]!) : closeOf(code, days[index - 1]!);

  const barValues = (code: string, day: string, index: number): Record<string, string> => {
    const preclose = previousCloseOf(code, index);
    const bar = barOf(code, day, preclose);
    const volume = bar.suspended ? 0 : 100 * (1000 + (bar.hash % 100_000));
    const pct = Math.round(((bar.close - preclose) * 100_000_000) / preclose);
    return {
      date: day,
      code,
      open: price4(bar.open),
      high: price4(bar.high),
      low: price4(bar.low),
      close: price4(bar.close),
      preclose: price4(preclose),
      volume: String(volume),
      amount: fixed(volume * bar.close * 100, 4),
      adjustflag: '3',
      turn: bar.suspended ? '' : fixed(bar.hash % 500_000, 6),
      tradestatus: bar.suspended ? '0' : '1',
      pctChg: bar.suspended ? '' : fixed(pct, 6),
      isST: seed(code) % 25 === 3 ? '1' : '0',
    };
  };

  const exDividendDates = (code: string): string[] => {
    const dates: string[] = [];
    for (let year = 2000; year <= 2026; year++) {
      const h = seed(`${code}|${year}|dividend`);
      if (h % 3 === 0) continue;
      const start = new Date(Date.UTC(year, 4, 1 + (h % 90))).toISOString().slice(0, 10);
      const day = days.find((d) => d >= start && d.startsWith(String(year)));
      if (day !== undefined) dates.push(day);
    }
    return dates;
  };

  /** Back factors multiply up from 1; fore factors are back / latest back (6 decimals, as BaoStock's). */
  const factorRows = (code: string): string[][] => {
    const cached = factorCache.get(code);
    if (cached) return cached;
    const dates = exDividendDates(code);
    const backs: number[] = [];
    let back = 1_000_000;
    for (const date of dates) {
      const ratio = 1000 + 1 + ((seed(`${code}|${date}|ratio`) >>> 8) % 80);
      back = Math.round((back * ratio) / 1000);
      backs.push(back);
    }
    const latest = backs.at(-1) ?? 1_000_000;
    const rows = dates.map((date, i) => [
      code,
      date,
      fixed(Math.round((backs[i]! * 1_000_000) / latest), 6),
      fixed(backs[i]!, 6),
      fixed(backs[i]!, 6),
    ]);
    factorCache.set(code, rows);
    return rows;
  };

  return {
    allStock(day) {
      return dayIndex.has(day) ? universe.map((row) => [...row]) : [];
    },
    stockBasic(code) {
      const rows = code === '' ? universe : byCode.has(code) ? [byCode.get(code)!] : [];
      return rows.map(([c, , name]) => {
        const ipo =
          c === 'sh.600000'
            ? '1999-11-10'
            : new Date(Date.UTC(1991, 0, 1 + (seed(`${c}|ipo`) % 9000))).toISOString().slice(0, 10);
        return [c, name, ipo, '', isIndexCode(c) ? '2' : '1', '1'];
      });
    },
    dailyBars(code, fields, from, to) {
      if (!byCode.has(code)) return [];
      const rows: string[][] = [];
      for (let i = lowerBound(days, from); i < days.length && days[i]! <= to; i++) {
        const values = barValues(code, days[i]!, i);
        rows.push(fields.map((f) => values[f] ?? ''));
      }
      return rows;
    },
    adjustFactors(code, from, to) {
      return factorRows(code).filter(([, date]) => date! >= from && date! <= to);
    },
    exDividendDates,
  };
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
