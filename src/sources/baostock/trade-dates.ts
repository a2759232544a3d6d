import { z } from 'zod';
import type { Logger } from 'pino';
import { BAOSTOCK_DEFAULTS as D } from './constants.js';
import { abortReason } from '../../abort.js';
import { endpointOf } from './connection.js';
import { startDeadline } from './deadline.js';
import { BaoStockNetworkError } from './errors.js';
import { tradeDatesRequest } from './messages.js';
import { baoStockOptionsSchema, parseOptions, type BaoStockOptions } from './options.js';
import { BaoStockSession } from './session.js';
import { readTradeDatesPage, type RawTradeDateRow } from './trade-dates-page.js';

export interface TradeDateQuery extends BaoStockOptions {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD`. */
  to: string;
  /** Default 10 000; the server may serve fewer, and paging follows what it echoes. */
  rowsPerPage?: number;
  /** The whole login..logout; default 120 000. */
  totalTimeoutMs?: number;
}

export interface TradeDateResult {
  rows: RawTradeDateRow[];
  /** Page requests answered (the last one may hold zero rows). */
  pages: number;
  /** Column names as page 1 gave them. */
  columns: string[];
}

const date = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });

const tradeDateQuerySchema = baoStockOptionsSchema
  .extend({
    from: date,
    to: date,
    rowsPerPage: z.number().int().min(1).max(1_000_000).default(D.rowsPerPage),
    totalTimeoutMs: z.number().int().min(1).max(86_400_000).default(D.totalTimeoutMs),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] });

/**
 * Logs in, reads every page of query_trade_dates for [from, to], logs out and closes (§5–§7).
 * Any error on any page fails the whole query, never a silently truncated result. Failures are
 * BaoStockServiceError / BaoStockProtocolError / BaoStockNetworkError, or the signal's reason.
 */
export async function fetchTradeDates(query: TradeDateQuery): Promise<TradeDateResult> {
  const { signal, logger } = query;
  // The schema reads the plain fields only; signal and logger are used as given.
  const settings = parseOptions(tradeDateQuerySchema, query, 'BaoStock trade-date query');
  const endpoint = endpointOf(settings);
  const deadline = startDeadline(
    settings.totalTimeoutMs,
    signal,
    () =>
      new BaoStockNetworkError(
        'query-timeout',
        endpoint,
        `BaoStock query_trade_dates at ${endpoint} did not finish within ${settings.totalTimeoutMs} ms`,
      ),
  );
  const session = new BaoStockSession({ ...settings, signal: deadline.signal, logger });
  try {
    await session.login();
    const result = await readAllPages(session, settings, logger);
    await logoutQuietly(session, deadline.signal, logger);
    return result;
  } finally {
    await session.close();
    deadline.dispose();
  }
}

async function readAllPages(
  session: BaoStockSession,
  settings: z.output<typeof tradeDateQuerySchema>,
  logger: Logger | undefined,
): Promise<TradeDateResult> {
  const rows: RawTradeDateRow[] = [];
  let columns: string[] | undefined;
  for (let page = 1; ; page++) {
    const frame = tradeDatesRequest({ ...settings, page });
    const reply = await session.request(frame, `query_trade_dates page ${page}`);
    const read = readTradeDatesPage(reply, page, columns);
    columns ??= read.columns;
    for (const row of read.rows) rows.push(row);
    logger?.debug(
      { page, rows: read.rows.length, rowsPerPage: read.rowsPerPage },
      'BaoStock query_trade_dates page read',
    );
    // §7.3: a short or empty page is the last; the echoed per-page value counts, not ours.
    if (read.rows.length === 0 || read.rows.length < read.rowsPerPage)
      return { rows, pages: page, columns };
  }
}

/** The data is complete by now; a failed logout is worth a warning, not a failed query. */
async function logoutQuietly(
  session: BaoStockSession,
  signal: AbortSignal,
  logger: Logger | undefined,
): Promise<void> {
  try {
    await session.logout();
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    logger?.warn({ err: error }, 'BaoStock logout failed; the query result is complete and kept');
  }
}
