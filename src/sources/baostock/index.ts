/**
 * BaoStock TCP protocol client (shared/docs/baostock-protocol.md).
 *
 * Layers, bottom up: frames (frame, frame-reader) on one lock-step connection; a logged-in
 * session; query_trade_dates (trade-dates*). Market data: requests (market-requests) and typed
 * rows (market-rows, record-page, market-values) for query_all_stock, query_stock_basic,
 * query_history_k_data_plus and query_adjust_factor, paged on one session (market-queries); a
 * session pool per endpoint with per-query retries (session-pool) and one pool per configured
 * endpoint (sources); per-security fetches as async iterables with backpressure (security-fetch,
 * market-fetch); and the pure functions a processor applies to bars (check-daily-bars,
 * adjust-daily-bars, on the exact decimals of decimal.ts).
 */
export {
  BAOSTOCK_DEFAULTS,
  END_MARKER,
  MESSAGE_TYPES,
  COMPRESSED_REPLY_TYPES,
  SEP,
} from './constants.js';
export { crc32, crcDecimal } from './crc.js';
export {
  encodeRequest,
  findHeaderProblem,
  parseHeader,
  type RequestFrame,
  type FrameHeader,
} from './frame.js';
export { FrameReader, type BaoStockReply } from './frame-reader.js';
export { BaoStockConnection, endpointOf, type ConnectionOptions } from './connection.js';
export {
  BaoStockServiceError,
  BaoStockProtocolError,
  BaoStockNetworkError,
  isReconnectable,
  type BaoStockNetworkFailure,
} from './errors.js';
export {
  loginRequest,
  logoutRequest,
  tradeDatesRequest,
  formatLocalTime,
  type TradeDatesPageRequest,
} from './messages.js';
export { BaoStockSession, expectSuccess, type SessionSettings } from './session.js';
export { baoStockOptionsSchema, type BaoStockOptions, type BaoStockSettings } from './options.js';
export {
  readTradeDatesPage,
  splitColumns,
  type RawTradeDateRow,
  type TradeDatesPage,
} from './trade-dates-page.js';
export { fetchTradeDates, type TradeDateQuery, type TradeDateResult } from './trade-dates.js';
export {
  BaoStockRowError,
  BaoStockEmptyReplyError,
  isTransientFailure,
  sessionSurvives,
} from './errors.js';
export {
  parseDecimal,
  formatDecimal,
  canonicalDecimal,
  compareDecimals,
  multiplyDecimals,
  divideDecimals,
  type Decimal,
} from './decimal.js';
export {
  allStockRequest,
  stockBasicRequest,
  kLineRequest,
  adjustFactorRequest,
  DAILY_BAR_FIELDS,
  type AdjustFlag,
  type KLineArguments,
  type PageOf,
} from './market-requests.js';
export { readRecordPage, splitColumnList, type RecordPage } from './record-page.js';
export {
  decodeUniverse,
  decodeSecurities,
  decodeDailyBars,
  decodeAdjustFactors,
  type UniverseRow,
  type SecurityRow,
  type DailyBar,
  type AdjustFactorRow,
} from './market-rows.js';
export {
  queryAllStock,
  queryStockBasic,
  queryDailyBars,
  queryAdjustFactors,
  type QueryContext,
  type Requester,
  type RangeQuery,
} from './market-queries.js';
export {
  BaoStockSessionPool,
  type SessionPoolOptions,
  type SessionPoolStats,
} from './session-pool.js';
export { BaoStockSources } from './sources.js';
export {
  SecurityFetch,
  type SecurityOutcome,
  type FetchProgress,
  type FailedSecurity,
} from './security-fetch.js';
export {
  fetchDailyBars,
  fetchAdjustFactors,
  fetchSecurities,
  type RangeFetch,
  type SecuritiesFetch,
  type SecuritiesResult,
} from './market-fetch.js';
export { checkDailyBars, type DailyBarCheck, type DailyBarProblem } from './check-daily-bars.js';
export { adjustDailyBars, type AdjustMode } from './adjust-daily-bars.js';
