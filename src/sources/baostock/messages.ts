import { MESSAGE_TYPES } from './constants.js';
import type { RequestFrame } from './frame.js';

/** Login request, type 00 (§5). Field 3 is `0` for anonymous users (an API key from 0.9.x). */
export function loginRequest(version: string, user: string, password: string): RequestFrame {
  return { version, type: MESSAGE_TYPES.login, fields: ['login', user, password, '0'] };
}

/** Logout request, type 02 (§6), stamped with the client's local time. */
export function logoutRequest(version: string, user: string, now: Date): RequestFrame {
  return { version, type: MESSAGE_TYPES.logout, fields: ['logout', user, formatLocalTime(now)] };
}

export interface TradeDatesPageRequest {
  version: string;
  user: string;
  page: number;
  rowsPerPage: number;
  from: string;
  to: string;
}

/** One page of query_trade_dates, type 33 (§7.1). */
export function tradeDatesRequest(request: TradeDatesPageRequest): RequestFrame {
  const { version, user, page, rowsPerPage, from, to } = request;
  return {
    version,
    type: MESSAGE_TYPES.queryTradeDates,
    fields: ['query_trade_dates', user, String(page), String(rowsPerPage), from, to],
  };
}

/** `yyyyMMddHHmmss` in the process's local time, as the reference client sends it. */
export function formatLocalTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    String(date.getFullYear()).padStart(4, '0') +
    two(date.getMonth() + 1) +
    two(date.getDate()) +
    two(date.getHours()) +
    two(date.getMinutes()) +
    two(date.getSeconds())
  );
}
