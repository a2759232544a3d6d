/**
 * Which failures are worth another attempt. Only those where the server, the network or lock
 * contention is at fault and the same statement can succeed later; a bad statement, a missing
 * privilege or a full disk fail at once, since retrying would only delay the same answer.
 * A retried write is harmless: the upsert is idempotent, and a rolled-back attempt wrote nothing.
 */
const TRANSIENT_CODES = new Set([
  // The network or the server process went away.
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN', // 1053
  'ER_CONNECTION_KILLED', // 1927 (MariaDB): killed by an admin or a restarting server
  'ER_NET_READ_ERROR', // 1158
  'ER_NET_READ_INTERRUPTED', // 1159
  'ER_NET_ERROR_ON_WRITE', // 1160
  'ER_NET_WRITE_INTERRUPTED', // 1161
  // The server is busy: too many clients, or lock contention with another writer.
  'ER_CON_COUNT_ERROR', // 1040
  'ER_TOO_MANY_USER_CONNECTIONS', // 1203
  'ER_LOCK_DEADLOCK', // 1213
  'ER_LOCK_WAIT_TIMEOUT', // 1205
  // SQLite: another process holds the database lock.
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  // Ours: a statement outlived its timeout (a stalled network looks exactly like this).
  'STATEMENT_TIMEOUT',
]);

/** Server error numbers, for drivers that report only those (CR_SERVER_GONE_ERROR, CR_SERVER_LOST …). */
const TRANSIENT_ERRNOS = new Set([
  1040, 1053, 1158, 1159, 1160, 1161, 1203, 1205, 1213, 1927, 2002, 2003, 2006, 2013, 2055,
]);

interface DriverError {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** True when the error, or an error it wraps, is one a later attempt can get past. */
export function isTransient(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e !== null && typeof e === 'object' && depth < 5;
    depth++
  ) {
    const d = e as DriverError;
    if (typeof d.code === 'string' && TRANSIENT_CODES.has(d.code)) return true;
    if (typeof d.errno === 'number' && TRANSIENT_ERRNOS.has(d.errno)) return true;
    // mysql2, asked to run a command on a connection that already died.
    if (d.fatal === true && typeof d.message === 'string' && d.message.includes('closed state'))
      return true;
    e = d.cause;
  }
  return false;
}
