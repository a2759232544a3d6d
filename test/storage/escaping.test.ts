/**
 * Values are rendered into the SQL text for speed, so escaping is tested with strings meant to
 * break it, on a server in the default mode, on one with NO_BACKSLASH_ESCAPES (where a backslash
 * escape would end the literal early) and on SQLite (bound parameters).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import type { SqliteTarget } from '../../src/storage/sqlite-target.js';
import { tradeDayTable, upsertRows, type TradeDayRow } from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import {
  mysqlTarget,
  readMysqlTradeDays,
  readSqliteTradeDays,
  sqliteTarget,
  tradeDays,
  withoutTimes,
} from './helpers.js';

const AWKWARD = [
  "it's",
  '"double"',
  'back\\slash',
  '\\',
  "\\'",
  "\\\\'",
  "'; DROP TABLE trade_day; --",
  "') ON DUPLICATE KEY UPDATE x=1 #",
  'nul\0byte',
  'tab\tnew\nline\rret',
  'ctrl-z\x1a and \b',
  '%_ like wildcards',
  'a ? placeholder ??',
  '`backticks`',
  '/* comment */ -- ',
  '中文 ünïcödé',
  '😀 emoji 𝄞',
  'trailing space ',
  "''",
  '',
];

const server = mysqlTestServer();

describe('escaping of awkward strings', { skip: await mysqlSkipReason() }, () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let noBackslash: MariadbInstance;
  let plain: MysqlTarget;
  let quoted: MysqlTarget;
  let lite: { target: SqliteTarget; remove(): void };
  const rows: TradeDayRow[] = tradeDays(AWKWARD.length).map((row, i) => ({
    ...row,
    source: AWKWARD[i]!,
  }));

  before(async () => {
    [shared, noBackslash] = await Promise.all([
      createTestDatabase('escaping'),
      startMariadbInstance({ serverArgs: ['--sql-mode=NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES'] }),
    ]);
    plain = mysqlTarget('plain', server, shared.name);
    quoted = mysqlTarget('quoted', noBackslash, 'fda_escaping');
    lite = sqliteTarget('lite');
  });
  after(async () => {
    await Promise.all([plain?.close(), quoted?.close(), lite?.target.close()]);
    lite?.remove();
    await Promise.all([shared?.drop(), noBackslash?.destroy()]);
  });

  it('round-trips every string exactly, in both quoting modes and on SQLite', async () => {
    assert.equal((await quoted.connect()).noBackslashEscapes, true);
    assert.equal((await plain.connect()).noBackslashEscapes, false);
    const results = await upsertRows([plain, quoted, lite.target], tradeDayTable, rows);
    assert.deepEqual(
      results.map((r) => [r.target, r.ok, r.inserted, r.error]),
      [
        ['plain', true, rows.length, null],
        ['quoted', true, rows.length, null],
        ['lite', true, rows.length, null],
      ],
    );
    assert.deepEqual(withoutTimes(await readMysqlTradeDays(server, shared.name)), rows);
    assert.deepEqual(withoutTimes(await readMysqlTradeDays(noBackslash, 'fda_escaping')), rows);
    assert.deepEqual(withoutTimes(await readSqliteTradeDays(lite.target)), rows);
  });

  it('compares them exactly too: the same strings are unchanged, a trailing space or a case is a change', async () => {
    const same = await upsertRows([plain, quoted, lite.target], tradeDayTable, rows);
    assert.deepEqual(
      same.map((r) => [r.inserted, r.updated, r.unchanged]),
      Array.from({ length: 3 }, () => [0, 0, rows.length]),
    );
    const changed = rows.map((row) =>
      row.source === 'trailing space '
        ? { ...row, source: 'trailing space' }
        : row.source === '中文 ünïcödé'
          ? { ...row, source: '中文 ÜNÏCÖDÉ' }
          : row,
    );
    const results = await upsertRows([plain, quoted, lite.target], tradeDayTable, changed);
    assert.deepEqual(
      results.map((r) => [r.inserted, r.updated, r.unchanged]),
      Array.from({ length: 3 }, () => [0, 2, rows.length - 2]),
    );
    assert.deepEqual(withoutTimes(await readMysqlTradeDays(noBackslash, 'fda_escaping')), changed);
  });
});
