/**
 * A local BaoStock server for tests: a real TCP server on 127.0.0.1 that speaks the protocol as
 * shared/docs/baostock-protocol.md §11 describes. It answers login, logout and query_trade_dates
 * (paged by the per-page value it receives) and, given a `market`, the market queries
 * (query_all_stock, query_stock_basic, query_history_k_data_plus compressed as the real one is,
 * query_adjust_factor); keeps connections open, can wait before each reply (`replyDelayMs`), and
 * can misbehave on demand (`fault`, per request, so per code) so tests can drive every failure
 * path of the client over a real socket.
 */
import { createServer, type Socket } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/sources/baostock/crc.js';
import type { FakeMarket } from './baostock-fake-market.js';
import { MARKET_REQUEST_TYPES, marketReply } from './baostock-fake-market-replies.js';

const SEP = '\x01';
const MARKER = '<![CDATA[]]>\n';
const SERVER_VERSION = '00.9.00';
const DEFAULT_COLUMNS = ['calendar_date', 'is_trading_day'] as const;

export type FakeCalendarRow = readonly [date: string, flag: string];
export type FakeCalendar =
  readonly FakeCalendarRow[] | ((from: string, to: string) => readonly FakeCalendarRow[]);

/** A request as the fake received it. */
export interface FakeRequest {
  /** 1-based number of the connection it arrived on. */
  connection: number;
  version: string;
  type: string;
  /** Field 0 (`login`, `query_trade_dates`, ...). */
  method: string;
  fields: string[];
  raw: Buffer;
  /** Set when the frame was malformed (the fake then answers with a `04` error). */
  problem?: string;
}

export type FakeFault =
  /** Answer with this service error (type `04` unless `replyType` says otherwise). */
  | { kind: 'error'; code: string; message: string; replyType?: string }
  /** Send the first half of the normal reply, then close (FIN, or RST with `reset`). */
  | { kind: 'close-mid-reply'; reset?: boolean }
  /** Close without a byte of reply. */
  | { kind: 'close' }
  /** Send bytes that are not a frame, and keep the connection open. */
  | { kind: 'garbage'; bytes?: string | Buffer }
  /** Never answer. */
  | { kind: 'stall' }
  /** The normal reply with a wrong CRC. */
  | { kind: 'bad-crc' }
  /** The normal reply twice, back to back. */
  | { kind: 'extra-bytes' }
  /** A success reply holding no rows (market queries). */
  | { kind: 'empty-page' };

export interface FakeBaoStockOptions {
  /** Rows served by query_trade_dates, ascending; the fake filters them to [from, to]. */
  calendar?: FakeCalendar;
  /** Server time for login/logout replies (rendered in China time); pin it to reproduce captures. */
  clock?: () => Date;
  /** Serve at most this many rows per page (and echo this value) whatever the client asks. */
  maxRowsPerPage?: number;
  /** Column order of query_trade_dates replies. */
  columns?: readonly string[];
  /** How a page without rows is sent: `{"record":[]}` (default) or an empty field. */
  emptyData?: 'record' | 'empty';
  /** Field 1 of success replies; set multi-byte text to exercise character-counted lengths. */
  successMessage?: string;
  /** Send replies zlib-compressed (as type 96 is), for all requests or those the function picks. */
  compress?: boolean | ((request: FakeRequest) => boolean);
  /** Write every reply in writes of this many bytes, a turn of the event loop apart. */
  dribbleBytes?: number;
  /** Misbehave for the requests this returns a fault for. */
  fault?: (request: FakeRequest) => FakeFault | undefined;
  /** Refuse queries on a connection that has not logged in (10001001). Default true. */
  requireLogin?: boolean;
  /** Serves the market queries; without it they get 10004020 like any unknown type. */
  market?: FakeMarket;
  /** Wait this long before writing each reply (a slow service), for all requests or per request. */
  replyDelayMs?: number | ((request: FakeRequest) => number);
}

export interface FakeBaoStock {
  readonly host: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  readonly openConnections: number;
  readonly connectionsAccepted: number;
  /** Resolves once no connection is open (rejects after `timeoutMs`, naming how many are left). */
  waitForNoConnections(timeoutMs?: number): Promise<void>;
  /** Destroys every open socket and stops listening. */
  close(): Promise<void>;
}

interface Reply {
  type: string;
  fields: string[];
}

export async function startFakeBaoStock(options: FakeBaoStockOptions = {}): Promise<FakeBaoStock> {
  const sockets = new Set<Socket>();
  const requests: FakeRequest[] = [];
  const idleWaiters = new Set<() => void>();
  let accepted = 0;

  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const wake of [...idleWaiters]) wake();
    });
    serveConnection(socket, accepted, options, requests);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('fake BaoStock has no TCP address');

  return {
    host: '127.0.0.1',
    port: address.port,
    requests,
    get openConnections() {
      return sockets.size;
    },
    get connectionsAccepted() {
      return accepted;
    },
    waitForNoConnections(timeoutMs = 5000) {
      if (sockets.size === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          clearTimeout(timer);
          idleWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          idleWaiters.delete(wake);
          reject(
            new Error(
              `fake BaoStock still has ${sockets.size} open connection(s) after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        idleWaiters.add(wake);
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function serveConnection(
  socket: Socket,
  id: number,
  options: FakeBaoStockOptions,
  requests: FakeRequest[],
): void {
  const state = { loggedIn: false };
  let buffered = Buffer.alloc(0);
  let queue = Promise.resolve();
  socket.setNoDelay(true);
  // A client that resets or vanishes is part of the tests, not a failure of the fake.
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0x0a); end >= 0; end = buffered.indexOf(0x0a)) {
      const raw = Buffer.from(buffered.subarray(0, end + 1));
      buffered = buffered.subarray(end + 1);
      const request = parseRequest(raw, id);
      requests.push(request);
      // Lock-step: each request is answered after the previous reply has been written.
      queue = queue
        .then(() => handle(socket, request, options, state))
        .catch(() => {
          socket.destroy();
        });
    }
  });
}

async function handle(
  socket: Socket,
  request: FakeRequest,
  options: FakeBaoStockOptions,
  state: { loggedIn: boolean },
): Promise<void> {
  const fault = options.fault?.(request);
  if (fault?.kind === 'stall') return;
  if (fault?.kind === 'close') {
    socket.end();
    return;
  }
  if (fault?.kind === 'garbage') {
    await write(
      socket,
      Buffer.from(fault.bytes ?? 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'),
      options,
    );
    return;
  }
  const delay =
    typeof options.replyDelayMs === 'function'
      ? options.replyDelayMs(request)
      : (options.replyDelayMs ?? 0);
  if (delay > 0) await sleep(delay);
  const reply =
    fault?.kind === 'error'
      ? errorReply(fault.code, fault.message, fault.replyType)
      : answer(request, options, state, fault?.kind === 'empty-page');
  // The real service compresses every k-line reply (type 96), errors aside.
  const compress =
    reply.type === '96' ||
    (typeof options.compress === 'function'
      ? options.compress(request)
      : options.compress === true);
  let frame = encodeReply(reply, compress);
  if (fault?.kind === 'bad-crc') frame = corruptCrc(frame, compress);
  if (fault?.kind === 'extra-bytes') frame = Buffer.concat([frame, frame]);
  if (fault?.kind === 'close-mid-reply') {
    await write(socket, frame.subarray(0, Math.floor(frame.length / 2)), options);
    if (fault.reset) socket.resetAndDestroy();
    else socket.end();
    return;
  }
  await write(socket, frame, options);
}

async function write(socket: Socket, bytes: Buffer, options: FakeBaoStockOptions): Promise<void> {
  const step = options.dribbleBytes ?? bytes.length;
  for (let at = 0; at < bytes.length; at += step) {
    if (socket.destroyed) return;
    const piece = bytes.subarray(at, at + step);
    await new Promise<void>((resolve) => socket.write(piece, () => resolve()));
    if (step < bytes.length) await nextTurn();
  }
}

function answer(
  request: FakeRequest,
  options: FakeBaoStockOptions,
  state: { loggedIn: boolean },
  emptyPage = false,
): Reply {
  if (request.problem !== undefined) return errorReply('10004019', '消息格式错误');
  const ok = options.successMessage ?? 'success';
  const f = request.fields;
  switch (request.type) {
    case '00':
      if (f.length !== 4) return errorReply('10004006', '参数个数错误');
      state.loggedIn = true;
      return { type: '01', fields: ['0', ok, 'login', f[1]!, chinaTimestamp(options)] };
    case '02':
      if (f.length !== 3) return errorReply('10004006', '参数个数错误');
      state.loggedIn = false;
      return { type: '03', fields: ['0', ok, 'logout', f[1]!, chinaTimestamp(options)] };
    case '33':
      if ((options.requireLogin ?? true) && !state.loggedIn)
        return errorReply('10001001', '用户未登录');
      return tradeDates(request, options, ok);
    default:
      if (options.market && MARKET_REQUEST_TYPES.has(request.type)) {
        if ((options.requireLogin ?? true) && !state.loggedIn)
          return errorReply('10001001', '用户未登录');
        return marketReply(request, {
          market: options.market,
          successMessage: ok,
          maxRowsPerPage: options.maxRowsPerPage,
          emptyPage,
        });
      }
      return errorReply('10004020', '消息类型错误');
  }
}

function tradeDates(request: FakeRequest, options: FakeBaoStockOptions, ok: string): Reply {
  const f = request.fields;
  if (f.length !== 6) return errorReply('10004006', '参数个数错误');
  const [, user = '', pageText = '', perPageText = '', from = '', to = ''] = f;
  const page = Number(pageText);
  const asked = Number(perPageText);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(asked) || asked < 1) {
    return errorReply('10004006', '参数错误');
  }
  const perPage = Math.min(asked, options.maxRowsPerPage ?? asked);
  const rows = calendarRows(options.calendar ?? [], from, to).slice(
    (page - 1) * perPage,
    page * perPage,
  );
  const columns = options.columns ?? DEFAULT_COLUMNS;
  const record = rows.map(([date, flag]) =>
    columns.map((c) => (c === 'calendar_date' ? date : c === 'is_trading_day' ? flag : '')),
  );
  const data =
    record.length === 0 && options.emptyData === 'empty' ? '' : JSON.stringify({ record });
  // Echo the page as sent and the per-page value actually served, as §7.2 describes.
  const perPageEcho = perPage === asked ? perPageText : String(perPage);
  return {
    type: '34',
    fields: [
      '0',
      ok,
      'query_trade_dates',
      user,
      pageText,
      perPageEcho,
      data,
      from,
      to,
      columns.join(', '),
    ],
  };
}

function calendarRows(
  calendar: FakeCalendar,
  from: string,
  to: string,
): readonly FakeCalendarRow[] {
  if (typeof calendar === 'function') return calendar(from, to);
  return calendar.filter(([date]) => (from === '' || date >= from) && (to === '' || date <= to));
}

function errorReply(code: string, message: string, type = '04'): Reply {
  return { type, fields: [code, message] };
}

/** `yyyyMMddHHmmssSSS` in China time (UTC+8, no daylight saving), as the real server stamps. */
function chinaTimestamp(options: FakeBaoStockOptions): string {
  const china = new Date((options.clock?.() ?? new Date()).getTime() + 8 * 3600_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    p(china.getUTCFullYear(), 4) +
    p(china.getUTCMonth() + 1) +
    p(china.getUTCDate()) +
    p(china.getUTCHours()) +
    p(china.getUTCMinutes()) +
    p(china.getUTCSeconds()) +
    p(china.getUTCMilliseconds(), 3)
  );
}

/** Uncompressed: length in characters, CRC, marker (§3.3). Compressed: length in bytes (§3.5). */
export function encodeReply(reply: Reply, compress = false): Buffer {
  const body = reply.fields.join(SEP);
  if (!compress) {
    const headerAndBody = Buffer.from(
      `${SERVER_VERSION}${SEP}${reply.type}${SEP}${pad10([...body].length)}${body}`,
      'utf8',
    );
    return Buffer.concat([
      headerAndBody,
      Buffer.from(`${SEP}${crc32(headerAndBody)}${MARKER}`, 'latin1'),
    ]);
  }
  const stream = deflateSync(Buffer.from(body, 'utf8'));
  const headerAndStream = Buffer.concat([
    Buffer.from(`${SERVER_VERSION}${SEP}${reply.type}${SEP}${pad10(stream.length)}`, 'latin1'),
    stream,
  ]);
  // The real digits match no known checksum (§3.5); any digits do, since no client checks them.
  return Buffer.concat([
    headerAndStream,
    Buffer.from(`${SEP}${crc32(headerAndStream)}\n${MARKER}`, 'latin1'),
  ]);
}

function corruptCrc(frame: Buffer, compressed: boolean): Buffer {
  if (compressed) return frame; // nothing checks the compressed digits
  const text = frame.toString('latin1');
  const sepAt = text.lastIndexOf(SEP);
  const markerAt = text.length - MARKER.length;
  const wrong = (Number(text.slice(sepAt + 1, markerAt)) + 1) % 2 ** 32;
  return Buffer.concat([frame.subarray(0, sepAt + 1), Buffer.from(`${wrong}${MARKER}`, 'latin1')]);
}

function pad10(n: number): string {
  return String(n).padStart(10, '0');
}

/** Splits a request frame (§3.2) and checks its header and CRC. */
function parseRequest(raw: Buffer, connection: number): FakeRequest {
  const header = raw.toString('latin1', 0, 21);
  const base = { connection, version: header.slice(0, 7), type: header.slice(8, 10), raw };
  const sepAt = raw.lastIndexOf(0x01, raw.length - 2);
  let problem: string | undefined;
  if (raw.length < 23 || raw[7] !== 0x01 || raw[10] !== 0x01 || !/^\d{10}$/.test(header.slice(11)))
    problem = 'malformed header';
  else if (
    sepAt < 21 ||
    raw.toString('latin1', sepAt + 1, raw.length - 1) !== String(crc32(raw, 0, sepAt))
  )
    problem = 'bad CRC';
  if (problem !== undefined) return { ...base, method: '', fields: [], problem };
  const fields = raw.toString('utf8', 21, sepAt).split(SEP);
  if ([...raw.toString('utf8', 21, sepAt)].length !== Number(header.slice(11)))
    problem = 'length does not match the body';
  return { ...base, method: fields[0] ?? '', fields, ...(problem ? { problem } : {}) };
}
