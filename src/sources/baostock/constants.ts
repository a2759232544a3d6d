/** Wire constants of the BaoStock TCP protocol (shared/docs/baostock-protocol.md §3–§4). */

export const BAOSTOCK_DEFAULTS = {
  host: 'public-api.baostock.com',
  port: 10030,
  /** The only version string backed by captured bytes the server accepted (§1). */
  version: '00.9.10',
  user: 'anonymous',
  password: '123456',
  connectTimeoutMs: 10_000,
  responseTimeoutMs: 30_000,
  rowsPerPage: 10_000,
  totalTimeoutMs: 120_000,
  /** A full query_all_stock page is ~190 KB; this leaves ample room and still stops a runaway peer. */
  maxReplyBytes: 32 * 1024 * 1024,
} as const;

/** Field separator inside a frame. */
export const SEP = '\x01';
export const SEP_BYTE = 0x01;
export const NEWLINE_BYTE = 0x0a;

export const HEADER_BYTES = 21;
export const VERSION_CHARS = 7;

/** Every reply ends with these 13 bytes. */
export const END_MARKER = Buffer.from('<![CDATA[]]>\n', 'latin1');

/** Request message types and the reply types the server answers them with (§4). */
export const MESSAGE_TYPES = {
  login: '00',
  loginReply: '01',
  logout: '02',
  logoutReply: '03',
  errorReply: '04',
  queryTradeDates: '33',
  queryTradeDatesReply: '34',
  queryAdjustFactor: '15',
  queryAdjustFactorReply: '16',
  queryAllStock: '35',
  queryAllStockReply: '36',
  queryStockBasic: '45',
  queryStockBasicReply: '46',
  queryHistoryKDataPlus: '95',
  queryHistoryKDataPlusReply: '96',
} as const;

/** Reply types whose body is a zlib stream (§3.5): 0.9.1 uses 96, 0.9.3+ also 99, 9B, 9D. */
export const COMPRESSED_REPLY_TYPES: ReadonlySet<string> = new Set(['96', '99', '9B', '9D']);

/** The first byte of every zlib stream a BaoStock server was seen to send (`78 01`). */
export const ZLIB_FIRST_BYTE = 0x78;
