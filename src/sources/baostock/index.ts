/** BaoStock TCP protocol client (shared/docs/baostock-protocol.md). */
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
