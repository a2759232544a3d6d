import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import type { SqliteTarget } from '../../src/storage/sqlite-target.js';
import { tableSizes } from '../../src/storage/table-sizes.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { MIGRATED_TABLES, mysqlTarget, onServer, sqliteTarget, tradeDays } from './helpers.js';

const server = mysqlTestServer();
const TABLES = MIGRATED_TABLES;

describe('tableSizes', { skip: await mysqlSkipReason() }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let my: MysqlTarget;
  let lite: { target: SqliteTarget; remove(): void };

  before(async () => {
    db = await createTestDatabase('sizes');
    my = mysqlTarget('sized', server, db.name);
    lite = sqliteTarget('lite');
    await upsertRows([my, lite.target], tradeDayTable, tradeDays(5000));
  });
  after(async () => {
    await Promise.all([my?.close(), lite?.target.close()]);
    lite?.remove();
    await db?.drop();
  });

  it('MySQL: every table with information_schema’s bytes and row estimate', async () => {
    await onServer(server, db.name, (c) => c.query('ANALYZE TABLE trade_day')); // fresh statistics for the estimate
    const sizes = await tableSizes(my);
    assert.deepEqual(
      [sizes.target, sizes.dialect, sizes.reachable, sizes.error],
      ['sized', 'mysql', true, null],
    );
    assert.equal(sizes.location, `mysql://${server.user}@${server.host}:${server.port}/${db.name}`);
    assert.deepEqual(
      sizes.tables.map((t) => t.table),
      TABLES,
    );
    const tradeDay = sizes.tables.find((t) => t.table === 'trade_day')!;
    assert.equal(tradeDay.rowsExact, false);
    assert.ok(tradeDay.rows > 4000 && tradeDay.rows < 6000, `estimate ${tradeDay.rows}`);
    assert.ok(tradeDay.dataBytes >= 16_384);
    assert.equal(tradeDay.totalBytes, tradeDay.dataBytes + tradeDay.indexBytes);
    const jobs = sizes.tables.find((t) => t.table === 'jobs')!;
    assert.ok(jobs.indexBytes > 0, 'the job indexes are counted');
  });

  it('SQLite: every table with dbstat’s bytes, its own and its indexes’, and exact rows', async () => {
    const sizes = await tableSizes(lite.target);
    assert.deepEqual([sizes.dialect, sizes.reachable, sizes.error], ['sqlite', true, null]);
    assert.deepEqual(
      sizes.tables.map((t) => t.table),
      TABLES,
    );
    const tradeDay = sizes.tables.find((t) => t.table === 'trade_day')!;
    assert.deepEqual([tradeDay.rows, tradeDay.rowsExact], [5000, true]);
    assert.ok(tradeDay.dataBytes > 4096 && tradeDay.indexBytes > 4096, JSON.stringify(tradeDay));
    assert.equal(tradeDay.totalBytes, tradeDay.dataBytes + tradeDay.indexBytes);
    const { sqlite } = await lite.target.connect();
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    const total = sizes.tables.reduce((sum, t) => sum + t.totalBytes, 0);
    assert.ok(total <= pages * pageSize, 'never more than the file holds');
  });
});
