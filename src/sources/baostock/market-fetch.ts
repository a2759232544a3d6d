import { abortReason } from '../../abort.js';
import { BaoStockEmptyReplyError } from './errors.js';
import {
  queryAdjustFactors,
  queryAllStock,
  queryDailyBars,
  queryStockBasic,
} from './market-queries.js';
import type { AdjustFactorRow, DailyBar, SecurityRow, UniverseRow } from './market-rows.js';
import { SecurityFetch, type FailedSecurity } from './security-fetch.js';
import type { BaoStockSessionPool } from './session-pool.js';

/**
 * The fetches the market-data components stream from: per-security queries spread over a pool's
 * sessions (concurrency = pool size), each retried by the pool, outcomes as they complete.
 */

export interface RangeFetch {
  codes: Iterable<string>;
  from: string;
  to: string;
  signal?: AbortSignal;
}

/**
 * Unadjusted daily bars per security. `requireRows` (default true) treats a security with no bar
 * in the range as a transient failure, retried and then reported: ask only for securities that
 * were listed in the range (the day's universe), and BaoStock gives suspended days as rows.
 */
export function fetchDailyBars(
  pool: BaoStockSessionPool,
  request: RangeFetch & { requireRows?: boolean },
): SecurityFetch<DailyBar> {
  const { from, to, requireRows = true } = request;
  return new SecurityFetch(
    request.codes,
    pool.size,
    (code, signal) =>
      pool.run(
        `daily bars ${code}`,
        async (ctx) => {
          const bars = await queryDailyBars(ctx, { code, from, to });
          if (requireRows && bars.length === 0)
            throw new BaoStockEmptyReplyError(
              `BaoStock returned no daily bars for ${code} ${from}..${to}`,
            );
          return bars;
        },
        signal,
      ),
    request.signal,
  );
}

/** Factor rows per security dated within [from, to]; none is a normal answer (no dividend). */
export function fetchAdjustFactors(
  pool: BaoStockSessionPool,
  request: RangeFetch,
): SecurityFetch<AdjustFactorRow> {
  const { from, to } = request;
  return new SecurityFetch(
    request.codes,
    pool.size,
    (code, signal) =>
      pool.run(
        `adjust factors ${code}`,
        (ctx) => queryAdjustFactors(ctx, { code, from, to }),
        signal,
      ),
    request.signal,
  );
}

export interface SecuritiesFetch {
  day: string;
  /** Codes already stored; stock_basic is asked only for the others. */
  knownCodes?: ReadonlySet<string>;
  /**
   * Above this many unknown codes, one stock_basic of every security (a few pages) is cheaper
   * than a query per code. Default 200.
   */
  fullListAbove?: number;
  signal?: AbortSignal;
}

export interface SecuritiesResult {
  day: string;
  /** Every security BaoStock knows on the day, with its trade status that day. */
  universe: UniverseRow[];
  /** Listing facts of the universe's codes that were not known. */
  securities: SecurityRow[];
  /** Unknown codes whose stock_basic failed or came back empty. */
  failed: FailedSecurity[];
}

/**
 * The universe of a trading day, plus stock_basic for codes not yet known. An empty universe is
 * "not published yet" (§9), retried by the pool and then a BaoStockEmptyReplyError: never "no
 * securities". Ask only for trading days.
 */
export async function fetchSecurities(
  pool: BaoStockSessionPool,
  request: SecuritiesFetch,
): Promise<SecuritiesResult> {
  const { day, signal, knownCodes = new Set<string>(), fullListAbove = 200 } = request;
  const universe = await pool.run(
    `universe ${day}`,
    async (ctx) => {
      const rows = await queryAllStock(ctx, day);
      if (rows.length === 0)
        throw new BaoStockEmptyReplyError(
          `BaoStock has no securities for ${day}: not a trading day, or not published yet`,
        );
      return rows;
    },
    signal,
  );
  const unknown = universe.map((row) => row.code).filter((code) => !knownCodes.has(code));
  if (unknown.length === 0) return { day, universe, securities: [], failed: [] };

  if (unknown.length > fullListAbove) {
    const wanted = new Set(unknown);
    const all = await pool.run('stock_basic (all)', (ctx) => queryStockBasic(ctx), signal);
    const securities = all.filter((row) => wanted.has(row.code));
    const found = new Set(securities.map((row) => row.code));
    const failed = unknown
      .filter((code) => !found.has(code))
      .map((code) => ({ code, reason: 'not in the stock_basic list' }));
    return { day, universe, securities, failed };
  }

  const perCode = new SecurityFetch(
    unknown,
    pool.size,
    (code, s) =>
      pool.run(
        `stock_basic ${code}`,
        async (ctx) => {
          const rows = await queryStockBasic(ctx, code);
          if (rows.length === 0)
            throw new BaoStockEmptyReplyError(`BaoStock has no stock_basic row for ${code}`);
          return rows;
        },
        s,
      ),
    signal,
  );
  const securities: SecurityRow[] = [];
  for await (const outcome of perCode)
    if (outcome.kind === 'rows') securities.push(...outcome.rows);
  if (signal?.aborted) throw abortReason(signal);
  return { day, universe, securities, failed: [...perCode.failures] };
}
