import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { formatProblems, zodProblems } from '../../validation.js';
import type { RequestFrame } from './frame.js';
import type { BaoStockReply } from './frame-reader.js';
import {
  adjustFactorRequest,
  allStockRequest,
  kLineRequest,
  stockBasicRequest,
  type AdjustFlag,
  type PageOf,
} from './market-requests.js';
import {
  decodeAdjustFactors,
  decodeDailyBars,
  decodeSecurities,
  decodeUniverse,
  type AdjustFactorRow,
  type DailyBar,
  type SecurityRow,
  type UniverseRow,
} from './market-rows.js';
import { readRecordPage, type RecordPage } from './record-page.js';

/** Anything that sends one request and returns its success reply: a logged-in BaoStockSession. */
export interface Requester {
  request(frame: RequestFrame, action: string): Promise<BaoStockReply>;
}

/** Where and as whom a query runs: a session of an endpoint, its version, user and page size. */
export interface QueryContext {
  session: Requester;
  version: string;
  user: string;
  rowsPerPage: number;
}

const date = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
const code = z.string().regex(/^[a-z]{2}\.\d{6}$/, { message: 'must be a code like sh.600000' });
const range = z
  .object({ code, from: date, to: date })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] });

function check<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = zodProblems(parsed.error);
  throw new ValidationError(`invalid ${what}:\n${formatProblems(problems)}`, problems);
}

/**
 * Reads page after page on one session (lock-step) until a page holds fewer rows than the
 * per-page value the server echoed (§7.3). An error on any page fails the whole query.
 */
async function readPages<T>(
  ctx: QueryContext,
  what: string,
  build: (p: PageOf) => RequestFrame,
  decode: (page: RecordPage, where: string) => T[],
): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const where = `BaoStock ${what} page ${page}`;
    const frame = build({
      version: ctx.version,
      user: ctx.user,
      page,
      rowsPerPage: ctx.rowsPerPage,
    });
    const read = readRecordPage(
      await ctx.session.request(frame, `${what} page ${page}`),
      page,
      where,
    );
    for (const row of decode(read, where)) rows.push(row);
    if (read.records.length < read.rowsPerPage) return rows;
  }
}

/** query_all_stock: every security BaoStock knows on `day` (empty when not published yet). */
export function queryAllStock(ctx: QueryContext, day: string): Promise<UniverseRow[]> {
  check(date, day, 'query_all_stock day');
  return readPages(
    ctx,
    `query_all_stock ${day}`,
    (p) => allStockRequest({ ...p, day }),
    decodeUniverse,
  );
}

/** query_stock_basic of one code, or of every security when `code` is undefined. */
export function queryStockBasic(ctx: QueryContext, securityCode?: string): Promise<SecurityRow[]> {
  if (securityCode !== undefined) check(code, securityCode, 'query_stock_basic code');
  return readPages(
    ctx,
    `query_stock_basic ${securityCode ?? '(all)'}`,
    (p) => stockBasicRequest({ ...p, code: securityCode ?? '' }),
    decodeSecurities,
  );
}

export interface RangeQuery {
  code: string;
  from: string;
  to: string;
}

/** Daily bars of one security over [from, to]; unadjusted unless `adjustFlag` says otherwise. */
export function queryDailyBars(
  ctx: QueryContext,
  query: RangeQuery & { adjustFlag?: AdjustFlag },
): Promise<DailyBar[]> {
  const { code: c, from, to } = check(range, query, 'query_history_k_data_plus arguments');
  const adjustFlag = query.adjustFlag ?? '3';
  return readPages(
    ctx,
    `query_history_k_data_plus ${c} ${from}..${to}`,
    (p) => kLineRequest({ ...p, code: c, from, to, adjustFlag }),
    (page, where) => decodeDailyBars(page, where),
  );
}

/** Factor rows of one security dated within [from, to]. */
export function queryAdjustFactors(
  ctx: QueryContext,
  query: RangeQuery,
): Promise<AdjustFactorRow[]> {
  const { code: c, from, to } = check(range, query, 'query_adjust_factor arguments');
  return readPages(
    ctx,
    `query_adjust_factor ${c} ${from}..${to}`,
    (p) => adjustFactorRequest({ ...p, code: c, from, to }),
    decodeAdjustFactors,
  );
}
