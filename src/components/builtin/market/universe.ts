import type { Logger } from 'pino';
import { fetchSecurities } from '../../../sources/baostock/market-fetch.js';
import type { BaoStockSessionPool } from '../../../sources/baostock/session-pool.js';
import { ValidationError } from '../../../errors.js';
import type { StoredTradingDays } from '../../../schedule/partitions/stored-trading-days.js';

/** Security types BaoStock gives in stock_basic. */
export const STOCK = 1;
export const INDEX = 2;

/**
 * The codes a day's fetch covers: every security in BaoStock's universe of `day` whose type is a
 * stock (and an index with `includeIndices`), by one stock_basic list. Suspended stocks are
 * included: BaoStock gives their day as a bar with trade status 0.
 */
export async function universeCodes(
  pool: BaoStockSessionPool,
  day: string,
  options: { includeIndices: boolean; signal: AbortSignal; logger: Logger },
): Promise<string[]> {
  const { universe, securities } = await fetchSecurities(pool, {
    day,
    fullListAbove: 0,
    signal: options.signal,
  });
  const wanted = new Set(options.includeIndices ? [STOCK, INDEX] : [STOCK]);
  const typeOf = new Map(securities.map((s) => [s.code, s.type as number]));
  const codes = universe.map((u) => u.code).filter((code) => wanted.has(typeOf.get(code) ?? 0));
  options.logger.info(
    `universe of ${day}: ${universe.length} securities, ${codes.length} ${options.includeIndices ? 'stocks and indices' : 'stocks'}`,
  );
  return codes;
}

/**
 * The day whose universe a range's fetch covers: `to`, or the last stored trading day before it
 * when the stored calendar says `to` was closed (BaoStock lists no securities on a closed day, so
 * a range ending on a weekend or holiday would fail). A day the calendar does not hold is asked as
 * it is.
 */
export async function universeDay(
  days: StoredTradingDays,
  range: { from: string; to: string },
): Promise<string> {
  if ((await days.isTradingDay(range.to)) !== false) return range.to;
  const before = await days.previousTradingDay(range.to);
  if (before === null || before < range.from)
    throw new ValidationError(
      `no trading day in ${range.from}..${range.to} by the stored calendar: nothing to fetch`,
    );
  return before;
}
