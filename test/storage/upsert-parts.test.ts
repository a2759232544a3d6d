/** The upsert's pure parts: counting, chunking, rendering, classification, backoff. No database. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { MySqlDialect } from 'drizzle-orm/mysql-core';
import { ValidationError } from '../../src/errors.js';
import { TargetUnavailableError } from '../../src/storage/errors.js';
import * as mysqlSchema from '../../src/storage/schema/mysql.js';
import * as sqliteSchema from '../../src/storage/schema/sqlite.js';
import { checkRows } from '../../src/storage/upsert/check-rows.js';
import { renderMysqlTuples } from '../../src/storage/upsert/mysql-literals.js';
import {
  fixedStatementBytes,
  planChunks,
  statementLimit,
  upsertStatement,
} from '../../src/storage/upsert/mysql-statement.js';
import { retryDelayMs } from '../../src/retry-policy.js';
import { isTransient } from '../../src/storage/upsert/transient-errors.js';
import { defineUpsertTable } from '../../src/storage/upsert/upsert-table.js';
import { countsFromOkPacket } from '../../src/storage/upsert/write-counts.js';
import { StatementTimeoutError } from '../../src/storage/upsert/write-errors.js';
import { tradeDayTable, type TradeDayRow } from '../../src/storage/upsert/index.js';

const WHEN = new Date('2025-01-02T03:04:05.678Z');

describe('counting from the OK packet', () => {
  it('takes Duplicates as the updated rows (MySQL and MariaDB print deleted + updated)', () => {
    // 2 inserted, 1 updated, 1 unchanged: affected = 2 + 2×1.
    assert.deepEqual(countsFromOkPacket(4, 4, 'Records: 4  Duplicates: 1  Warnings: 0'), {
      inserted: 2,
      updated: 1,
      unchanged: 1,
    });
    assert.deepEqual(countsFromOkPacket(981, 0, 'Records: 981  Duplicates: 0  Warnings: 0'), {
      inserted: 0,
      updated: 0,
      unchanged: 981,
    });
    assert.deepEqual(countsFromOkPacket(981, 981, 'Records: 981  Duplicates: 0  Warnings: 0'), {
      inserted: 981,
      updated: 0,
      unchanged: 0,
    });
    // The same key twice in one statement: inserted, then updated.
    assert.deepEqual(countsFromOkPacket(2, 3, 'Records: 2  Duplicates: 1  Warnings: 0'), {
      inserted: 1,
      updated: 1,
      unchanged: 0,
    });
  });

  it('reads a one-row statement (no info string) from affectedRows alone', () => {
    assert.deepEqual(countsFromOkPacket(1, 0, ''), { inserted: 0, updated: 0, unchanged: 1 });
    assert.deepEqual(countsFromOkPacket(1, 1, ''), { inserted: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(countsFromOkPacket(1, 2, ''), { inserted: 0, updated: 1, unchanged: 0 });
  });

  it('refuses numbers that cannot be right (a connection with CLIENT_FOUND_ROWS)', () => {
    assert.throws(
      () => countsFromOkPacket(3, 1, 'Records: 3  Duplicates: 2  Warnings: 0'),
      /inconsistent upsert counts for 3 rows/,
    );
    assert.throws(() => countsFromOkPacket(3, 3, ''), /no duplicate count/);
  });
});

describe('chunking by bytes', () => {
  it('fills each statement up to the limit and never past it', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const bytes = Uint32Array.from({ length: 5000 }, () => 20 + Math.floor(random() * 200));
    const fixed = 300;
    const limit = 10_000;
    const ends = planChunks(bytes, fixed, limit);
    let start = 0;
    for (const end of ends) {
      assert.ok(end > start);
      let size = fixed + (end - start - 1);
      for (let i = start; i < end; i++) size += bytes[i]!;
      assert.ok(size <= limit, `chunk ${start}..${end} is ${size} bytes`);
      if (end < bytes.length)
        assert.ok(size + 1 + bytes[end]! > limit, 'the next row would not have fitted');
      start = end;
    }
    assert.equal(start, bytes.length);
  });

  it('rejects a row that no statement could carry', () => {
    assert.throws(
      () => planChunks(Uint32Array.of(10, 5000, 10), 100, 1000),
      /^RangeError: row 1 needs 5100 bytes in one statement, over the limit of 1000$/,
    );
    assert.deepEqual(planChunks(new Uint32Array(0), 100, 1000), []);
  });

  it('counts the bytes of the statement exactly as it is sent', () => {
    const rows: TradeDayRow[] = [
      { calendarDate: '2024-01-02', isTradingDay: true, source: 'baostock' },
      { calendarDate: '2024-01-03', isTradingDay: false, source: "it's 中文 😀 \\" },
    ];
    const { tuples, bytes } = renderMysqlTuples(tradeDayTable, rows, WHEN, {
      noBackslashEscapes: false,
    });
    const text = new MySqlDialect().sqlToQuery(
      upsertStatement(tradeDayTable, sql.raw(tuples.join(','))),
    ).sql;
    assert.equal(
      Buffer.byteLength(text),
      fixedStatementBytes(tradeDayTable) + bytes[0]! + 1 + bytes[1]!,
    );
  });

  it('keeps a margin under max_allowed_packet and its own cap above it', () => {
    assert.equal(statementLimit(65_536), 65_536 - 1024 - 656);
    assert.equal(statementLimit(64 * 1024 * 1024), 4 * 1024 * 1024);
    assert.equal(statementLimit(64 * 1024 * 1024, 16 * 1024 * 1024), 16 * 1024 * 1024);
  });
});

describe('rendering', () => {
  it('writes the trade-day upsert with the change time assigned first', () => {
    const text = new MySqlDialect().sqlToQuery(upsertStatement(tradeDayTable, sql.raw('(…)'))).sql;
    assert.equal(
      text,
      'INSERT INTO `trade_day` (`calendar_date`,`is_trading_day`,`source`,`updated_at`) VALUES (…) ON DUPLICATE KEY UPDATE ' +
        '`updated_at` = IF(`is_trading_day` <=> VALUES(`is_trading_day`) AND CAST(`source` AS BINARY) <=> CAST(VALUES(`source`) AS BINARY), `updated_at`, VALUES(`updated_at`)), ' +
        '`is_trading_day` = VALUES(`is_trading_day`), `source` = VALUES(`source`)',
    );
  });

  it('renders each value by its column’s kind, quoting per the server’s sql_mode', () => {
    const rows: TradeDayRow[] = [
      { calendarDate: '2024-01-02', isTradingDay: true, source: "a'b\\c\n" },
    ];
    assert.deepEqual(
      renderMysqlTuples(tradeDayTable, rows, WHEN, { noBackslashEscapes: false }).tuples,
      ["('2024-01-02',1,'a\\'b\\\\c\\n','2025-01-02 03:04:05.678')"],
    );
    assert.deepEqual(
      renderMysqlTuples(tradeDayTable, rows, WHEN, { noBackslashEscapes: true }).tuples,
      ["('2024-01-02',1,REPLACE('a''b\\%c\n', '\\%', LEFT('\\%', 1)),'2025-01-02 03:04:05.678')"],
    );
  });
});

describe('checking rows', () => {
  const row = (patch: Partial<Record<keyof TradeDayRow, unknown>>) =>
    ({ calendarDate: '2024-02-29', isTradingDay: true, source: 'x', ...patch }) as TradeDayRow;
  const problems = (rows: TradeDayRow[]) => {
    try {
      checkRows(tradeDayTable, rows);
      return [];
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      return error.problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('accepts real dates only, in MySQL’s range', () => {
    assert.deepEqual(
      problems([row({}), row({ calendarDate: '2000-02-29' }), row({ calendarDate: '9999-12-31' })]),
      [],
    );
    assert.deepEqual(
      problems([
        row({ calendarDate: '2023-02-29' }),
        row({ calendarDate: '0999-01-01' }),
        row({ calendarDate: '2024-1-2' }),
      ]),
      [
        'rows[0].calendarDate: must be a date as YYYY-MM-DD, got "2023-02-29"',
        'rows[1].calendarDate: must be a date as YYYY-MM-DD, got "0999-01-01"',
        'rows[2].calendarDate: must be a date as YYYY-MM-DD, got "2024-1-2"',
      ],
    );
  });

  it('counts characters, not UTF-16 units, against VARCHAR(32); refuses broken Unicode and missing values', () => {
    assert.deepEqual(problems([row({ source: '😀'.repeat(32) })]), []);
    assert.deepEqual(
      problems([
        row({ source: '😀'.repeat(33) }),
        row({ source: 'a\uD800b' }),
        row({ source: undefined }),
        row({ isTradingDay: 1 }),
      ]),
      [
        'rows[0].source: is longer than 32 characters',
        'rows[1].source: holds an unpaired UTF-16 surrogate (not valid Unicode)',
        'rows[2].source: is required',
        'rows[3].isTradingDay: must be true or false, got 1',
      ],
    );
  });

  it('lists at most 20 problems', () => {
    assert.equal(problems(Array.from({ length: 50 }, () => row({ calendarDate: 'x' }))).length, 20);
  });
});

describe('table definitions', () => {
  it('derives names and kinds from the Drizzle tables', () => {
    assert.deepEqual(
      [...tradeDayTable.key, ...tradeDayTable.compared].map((c) => [
        c.field,
        c.name,
        c.kind,
        c.nullable,
        c.maxLength,
      ]),
      [
        ['calendarDate', 'calendar_date', 'date', false, null],
        ['isTradingDay', 'is_trading_day', 'boolean', false, null],
        ['source', 'source', 'text', false, 32],
      ],
    );
    assert.deepEqual(tradeDayTable.changedAt, { name: 'updated_at', sqlite: 'epoch-ms' });
  });

  it('refuses a definition that does not match both tables', () => {
    assert.throws(
      () =>
        defineUpsertTable<{ nope: string }>({
          mysql: mysqlSchema.tradeDay,
          sqlite: sqliteSchema.tradeDay,
          key: ['nope'],
          compared: ['nope'],
        }),
      /^Error: upsert table trade_day: "nope" is not a column of both table definitions$/,
    );
    assert.throws(
      () =>
        defineUpsertTable<TradeDayRow>({
          mysql: mysqlSchema.tradeDay,
          sqlite: sqliteSchema.jobs,
          key: ['calendarDate'],
          compared: ['source'],
        }),
      /the SQLite table is named jobs/,
    );
    assert.throws(
      () =>
        defineUpsertTable<TradeDayRow>({
          mysql: mysqlSchema.tradeDay,
          sqlite: sqliteSchema.tradeDay,
          key: ['calendarDate'],
          compared: [],
        }),
      /no compared column/,
    );
  });
});

describe('transient errors', () => {
  const driverError = (code: string, errno?: number, fatal = false) =>
    Object.assign(new Error(code), { code, errno, fatal });

  it('retries lost connections, a busy server and lock conflicts; fails the rest at once', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'PROTOCOL_CONNECTION_LOST',
      'ER_LOCK_DEADLOCK',
      'ER_LOCK_WAIT_TIMEOUT',
      'ER_CON_COUNT_ERROR',
      'SQLITE_BUSY',
    ]) {
      assert.equal(isTransient(driverError(code)), true, code);
    }
    for (const code of [
      'ER_ACCESS_DENIED_ERROR',
      'ER_NO_SUCH_TABLE',
      'ER_DUP_ENTRY',
      'ER_NET_PACKET_TOO_LARGE',
      'ER_PARSE_ERROR',
      'SQLITE_CONSTRAINT',
    ]) {
      assert.equal(isTransient(driverError(code)), false, code);
    }
    assert.equal(
      isTransient(Object.assign(new Error('MySQL server has gone away'), { errno: 2006 })),
      true,
    );
    assert.equal(
      isTransient(
        Object.assign(new Error("Can't add new command when connection is in closed state"), {
          fatal: true,
        }),
      ),
      true,
    );
    assert.equal(isTransient(new StatementTimeoutError('INSERT 1 of 1', 100)), true);
    assert.equal(isTransient(new Error('something else')), false);
  });

  it('looks through wrappers to the driver’s error', () => {
    assert.equal(
      isTransient(
        new TargetUnavailableError('db', 'connect ECONNREFUSED', {
          cause: driverError('ECONNREFUSED'),
        }),
      ),
      true,
    );
    assert.equal(
      isTransient(
        new TargetUnavailableError('db', 'Access denied', {
          cause: driverError('ER_ACCESS_DENIED_ERROR', 1045, true),
        }),
      ),
      false,
    );
  });
});

describe('backoff', () => {
  it('grows by the factor up to the cap, shortened by up to the jitter', () => {
    const policy = { attempts: 6, firstDelayMs: 250, factor: 2.5, maxDelayMs: 2000, jitter: 0.2 };
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt, () => 0)),
      [250, 625, 1563, 2000],
    );
    assert.deepEqual(
      [1, 4].map((attempt) => retryDelayMs(policy, attempt, () => 1)),
      [200, 1600],
    );
  });
});
