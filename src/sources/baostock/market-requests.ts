import { MESSAGE_TYPES } from './constants.js';
import type { RequestFrame } from './frame.js';

/** What every paged query sends before its own arguments (§9). */
export interface PageOf {
  version: string;
  user: string;
  /** 1-based. */
  page: number;
  rowsPerPage: number;
}

/** The k-line columns we ask for: the 14 of the captured request, in its order. */
export const DAILY_BAR_FIELDS = [
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

/** `3` unadjusted (what we store; adjusting is ours to do), `2` forward, `1` backward (§9). */
export type AdjustFlag = '1' | '2' | '3';

function paged(p: PageOf, type: string, method: string, args: readonly string[]): RequestFrame {
  return {
    version: p.version,
    type,
    fields: [method, p.user, String(p.page), String(p.rowsPerPage), ...args],
  };
}

/** Every security BaoStock knows on `day` (type 35). */
export function allStockRequest(p: PageOf & { day: string }): RequestFrame {
  return paged(p, MESSAGE_TYPES.queryAllStock, 'query_all_stock', [p.day]);
}

/** One security's listing facts, or every security's when `code` is empty (type 45). */
export function stockBasicRequest(p: PageOf & { code?: string; name?: string }): RequestFrame {
  return paged(p, MESSAGE_TYPES.queryStockBasic, 'query_stock_basic', [p.code ?? '', p.name ?? '']);
}

export interface KLineArguments {
  code: string;
  fields?: readonly string[];
  from: string;
  to: string;
  /** Only daily bars are read here. */
  frequency?: 'd';
  /** Default `3`, unadjusted. */
  adjustFlag?: AdjustFlag;
}

/** Daily k-lines of one security (type 95, answered compressed). */
export function kLineRequest(p: PageOf & KLineArguments): RequestFrame {
  return paged(p, MESSAGE_TYPES.queryHistoryKDataPlus, 'query_history_k_data_plus', [
    p.code,
    (p.fields ?? DAILY_BAR_FIELDS).join(','),
    p.from,
    p.to,
    p.frequency ?? 'd',
    p.adjustFlag ?? '3',
  ]);
}

/** One security's ex-dividend factor rows dated within [from, to] (type 15). */
export function adjustFactorRequest(
  p: PageOf & { code: string; from: string; to: string },
): RequestFrame {
  return paged(p, MESSAGE_TYPES.queryAdjustFactor, 'query_adjust_factor', [p.code, p.from, p.to]);
}
