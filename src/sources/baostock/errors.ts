import { AppError, ValidationError } from '../../errors.js';

/** The service answered, but with an error code in field 0 (any reply type, `04` included). */
export class BaoStockServiceError extends AppError {
  readonly code = 'BAOSTOCK_SERVICE';

  constructor(
    /** What we asked for, e.g. `login` or `query_trade_dates page 2`. */
    readonly action: string,
    /** The service's own code, e.g. `10001002`. */
    readonly serviceCode: string,
    /** The service's own text (often Chinese), e.g. `用户名或密码错误`. */
    readonly serviceMessage: string,
  ) {
    super(`BaoStock ${action} failed: error ${serviceCode} (${serviceMessage})`);
  }
}

/** The peer sent bytes that are not a valid reply: bad header, CRC mismatch, extra bytes, oversize. */
export class BaoStockProtocolError extends AppError {
  readonly code = 'BAOSTOCK_PROTOCOL';
}

export type BaoStockNetworkFailure =
  'connect-failed' | 'connect-timeout' | 'reply-timeout' | 'connection-closed' | 'query-timeout';

/** The network let us down: which way is in `failure`, where in `endpoint` (`host:port`). */
export class BaoStockNetworkError extends AppError {
  readonly code = 'BAOSTOCK_NETWORK';

  constructor(
    readonly failure: BaoStockNetworkFailure,
    readonly endpoint: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Only a connection lost mid-session is worth a reconnect; timeouts and refusals are not (§2). */
export function isReconnectable(error: unknown): boolean {
  return error instanceof BaoStockNetworkError && error.failure === 'connection-closed';
}

/** A reply was well framed but a row's value is not what its column holds (a bad date, a price "abc"). */
export class BaoStockRowError extends AppError {
  readonly code = 'BAOSTOCK_ROW';
}

/**
 * A query that must return rows returned none: the day's universe not published yet, a page lost
 * by the service. Transient by nature, so the pool retries it.
 */
export class BaoStockEmptyReplyError extends AppError {
  readonly code = 'BAOSTOCK_EMPTY';
}

/** Service codes worth another try on a fresh session: not logged in, the network family, system error. */
function isTransientServiceCode(code: string): boolean {
  return code === '10001001' || code.startsWith('10002') || code === '10005001';
}

/**
 * Failures a retry may cure: the network, bytes that did not arrive intact, a transient service
 * code, an empty reply where rows were expected. A bad argument, a bad row or a refused login
 * would fail the same way again.
 */
export function isTransientFailure(error: unknown): boolean {
  return (
    error instanceof BaoStockNetworkError ||
    error instanceof BaoStockProtocolError ||
    error instanceof BaoStockEmptyReplyError ||
    (error instanceof BaoStockServiceError && isTransientServiceCode(error.serviceCode))
  );
}

/**
 * After which failures a session can still be used: the service answered in full (an error code
 * that is not about the session, an empty page, a bad row). After anything else the connection
 * is broken, or a request may still be in flight, so the session is dropped.
 */
export function sessionSurvives(error: unknown): boolean {
  if (error instanceof BaoStockServiceError) return !isTransientServiceCode(error.serviceCode);
  return (
    error instanceof BaoStockEmptyReplyError ||
    error instanceof BaoStockRowError ||
    error instanceof ValidationError
  );
}
