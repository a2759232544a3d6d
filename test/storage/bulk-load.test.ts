/**
 * The bulk-load path against the statement path: the same rows to two databases, one through
 * LOAD DATA and one through multi-row statements, must leave the same stored rows and counts.
 * Then exact counts per case, conflicting duplicates, an abort mid-load, and the fallback on a
 * server started with --local-infile=0.
 */
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ValidationError } from '../../src/errors.js';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import {
  dailyBarTable,
  securityTable,
  upsertRows,
  type DailyBarRow,
  type TargetWriteResult,
} from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { mysqlTarget, onServer } from './helpers.js';
import {
  dailyBars,
  extremeBars,
  storedBars,
  storedSecurities,
  trickySecurities,
} from './market-rows.js';

const server = mysqlTestServer();
const counts = (r: TargetWriteResult) => [r.ok, r.inserted, r.updated, r.unchanged, r.error];

describe('bulk load and statements give the same rows', { skip: await mysqlSkipReason() }, () => {
  const dbs: Array<{ name: string; drop(): Promise<void> }> = [];
  let bulk: MysqlTarget;
  let statements: MysqlTarget;

  before(async () => {
    dbs.push(await createTestDatabase('bulk'), await createTestDatabase('stmts'));
    bulk = mysqlTarget('bulk', server, dbs[0]!.name, {}, 'on');
    statements = mysqlTarget('statements', server, dbs[1]!.name, {}, 'off');
  });
  after(async () => {
    await Promise.all([bulk?.close(), statements?.close()]);
    await Promise.all(dbs.map((db) => db.drop()));
  });

  const both = async <Row>(
    table: typeof securityTable | typeof dailyBarTable,
    rows: Row[],
    now: Date,
  ) => {
    const results = await upsertRows([bulk, statements], table as never, rows as never, {
      now,
      bulkLoadMinRows: 1,
    });
    assert.deepEqual(counts(results[0]!), counts(results[1]!), 'the same counts on both paths');
    return results[0]!;
  };
  const sameStored = async () => {
    const [a, b] = await Promise.all(
      dbs.map((db) =>
        onServer(server, db.name, async (c) => [await storedSecurities(c), await storedBars(c)]),
      ),
    );
    assert.deepEqual(a, b);
    return a!;
  };

  it('text with tabs, newlines, backslashes, quotes, NUL, emoji; NULL apart from empty; dates at the edges', async () => {
    const rows = trickySecurities();
    const first = await both(securityTable, rows, new Date('2025-01-01T00:00:00.001Z'));
    assert.deepEqual(counts(first), [true, rows.length, 0, 0, null]);
    assert.equal(first.statements, 4, 'into an empty table: BEGIN, the check, LOAD DATA, COMMIT');
    const [securities] = await sameStored();
    const names = securities!.map((s) => Buffer.from(String(s.name), 'hex').toString('utf8'));
    assert.deepEqual(
      names,
      rows.map((r) => r.name),
    );
    assert.equal(securities![0]!.ipo_date, null);
    assert.deepEqual(
      securities!.slice(1, 3).map((s) => s.ipo_date),
      ['1000-01-01', '9999-12-31'],
    );

    const again = await both(securityTable, rows, new Date('2025-01-02T00:00:00Z'));
    assert.deepEqual(counts(again), [true, 0, 0, rows.length, null]);
    assert.ok(again.statements < 10, `${again.statements} statements`);
    const changed = rows.map((r, i) =>
      i % 4 === 0 ? { ...r, name: r.name.toUpperCase() + '\t!' } : r,
    );
    const third = await both(securityTable, changed, new Date('2025-01-03T00:00:00Z'));
    assert.deepEqual(counts(third), [true, 0, 4, rows.length - 4, null]);
    const [afterChange] = await sameStored();
    assert.deepEqual(
      afterChange!.map((s) => String(s.updated_at)),
      rows.map((_, i) => (i % 4 === 0 ? '2025-01-03 00:00:00.000' : '2025-01-01 00:00:00.001')),
      'updated_at moved only where a value changed',
    );
  });

  it('decimals at full precision, NULLs and dates at the edges, re-written as 1.50 against 1.5000000000', async () => {
    const rows = extremeBars();
    assert.deepEqual(counts(await both(dailyBarTable, rows, new Date('2025-02-01T00:00:00Z'))), [
      true,
      rows.length,
      0,
      0,
      null,
    ]);
    const [, bars] = await sameStored();
    const byCode = new Map(bars!.map((b) => [`${String(b.code)} ${String(b.trade_date)}`, b]));
    assert.equal(byCode.get('x.max 2000-01-01')!.open, '9999999999.9999999999');
    assert.equal(byCode.get('x.max 2000-01-01')!.amount, '99999999999999999999.9999');
    assert.equal(byCode.get('x.max 2000-01-01')!.volume, 9007199254740991);
    assert.equal(byCode.get('x.min 2000-01-01')!.open, '-9999999999.9999999999');
    assert.equal(byCode.get('x.tiny 2000-01-01')!.open, '0.0000000001');
    assert.equal(byCode.get('x.tiny 2000-01-01')!.preclose, '7.5000000000');
    assert.equal(byCode.get('x.null 2000-01-01')!.open, null);
    assert.ok(byCode.has('x.edge 1000-01-01') && byCode.has('x.edge 9999-12-31'));

    // The same values spelled differently are no change.
    const respelled = rows.map((r) =>
      r.code === 'x.tiny' ? { ...r, open: '0.000000000100', preclose: '7.5' } : r,
    );
    assert.deepEqual(
      counts(await both(dailyBarTable, respelled, new Date('2025-02-02T00:00:00Z'))),
      [true, 0, 0, rows.length, null],
    );
  });

  it('counts exactly: insert-only, unchanged, partly changed, and exact duplicates in one batch', async () => {
    const rows = dailyBars(30, 100);
    const now = (day: number) => new Date(Date.UTC(2025, 2, day));
    assert.deepEqual(counts(await both(dailyBarTable, rows, now(1))), [true, 3000, 0, 0, null]);
    assert.deepEqual(counts(await both(dailyBarTable, rows, now(2))), [true, 0, 0, 3000, null]);
    const changed = rows.map((r, i) => (i % 10 === 0 ? { ...r, close: '1.1' } : r));
    const more = dailyBars(31, 100).slice(3000);
    assert.deepEqual(counts(await both(dailyBarTable, [...changed, ...more], now(3))), [
      true,
      100,
      300,
      2700,
      null,
    ]);
    // Exact copies of rows already in the batch: each written once, the copies counted unchanged.
    // (rows[0] holds the close changed above: it is changed back, 1 update.)
    const fresh = dailyBars(32, 100).slice(3100, 3105);
    const withCopies = [...rows.slice(0, 10), ...rows.slice(0, 5), ...fresh, ...fresh];
    assert.deepEqual(counts(await both(dailyBarTable, withCopies, now(4))), [true, 5, 1, 19, null]);
    await sameStored();
    // First and last keys new, stored ones between (some changed): the direct load skips the
    // stored keys, and the merge that follows updates the changed ones, in one transaction.
    const edges = dailyBars(34, 100).slice(3300, 3302);
    const between = rows.slice(40, 60).map((r, i) => (i % 4 === 0 ? { ...r, close: '2.2' } : r));
    const mixed = await both(dailyBarTable, [edges[0]!, ...between, edges[1]!], now(5));
    // Five closes changed, and rows[50] changed back from the 1.1 written above.
    assert.deepEqual(counts(mixed), [true, 2, 6, 14, null]);
    assert.equal(mixed.statements, 8, 'BEGIN, check, LOAD, CREATE, LOAD, merge, DROP, COMMIT');
    await sameStored();
  });

  it('refuses a key given twice with different values, before writing anything', async () => {
    const rows = dailyBars(2, 3);
    const conflicting = [...rows, { ...rows[1]!, close: '99' }];
    await assert.rejects(
      upsertRows([bulk, statements], dailyBarTable, conflicting, { bulkLoadMinRows: 1 }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.match(
          error.message,
          /rows\[6\]\.close: the key of rows\[1\] again, with a different close \("10\.0037" then "99"\)/,
        );
        return true;
      },
    );
  });

  it('leaves the target as it was when aborted in the middle of a load, into an empty table or not', async () => {
    const db = await createTestDatabase('bulk_abort');
    const target = mysqlTarget('abort', server, db.name, {}, 'on');
    try {
      const rows: DailyBarRow[] = dailyBars(200, 250);
      const abortMidway = async () => {
        const controller = new AbortController();
        const progress: number[] = [];
        await assert.rejects(
          upsertRows([target], dailyBarTable, rows, {
            signal: controller.signal,
            bulkLoadMinRows: 1,
            onProgress: (_target, done) => {
              progress.push(done);
              if (done >= 10_000) controller.abort(new Error('stop here'));
            },
          }),
          /stop here/,
        );
        assert.ok(progress.at(-1)! < rows.length, 'aborted before the end of the file');
      };
      const stored = () =>
        onServer(server, db.name, async (c) => {
          const [r] = await c.query<RowDataPacket[]>(
            'SELECT COUNT(*) AS n, MAX(updated_at) AS t, SUM(close) AS s FROM daily_bar',
          );
          return { ...r[0] };
        });
      await abortMidway();
      assert.equal(
        Number((await stored()).n),
        0,
        'an aborted load into the empty table left nothing',
      );

      const small = dailyBars(10, 10);
      await upsertRows([target], dailyBarTable, small, {
        bulkLoadMinRows: 1,
        now: new Date('2025-04-01T00:00:00Z'),
      });
      const before = await stored();
      await abortMidway();
      assert.deepEqual(await stored(), before, 'an aborted staged load left the rows as they were');
      // The connection with the half-loaded staging table is gone; the next write starts clean.
      const [ok] = await upsertRows([target], dailyBarTable, small, { bulkLoadMinRows: 1 });
      assert.deepEqual(counts(ok!), [true, 0, 0, 100, null]);
    } finally {
      await target.close();
      await db.drop();
    }
  });
});

describe('a server that refuses LOAD DATA LOCAL', { skip: await mysqlSkipReason() }, () => {
  let instance: MariadbInstance;
  const lines: Array<{ msg: string; target?: string }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { msg: string; target?: string });
        done();
      },
    }),
  );

  before(async () => {
    instance = await startMariadbInstance({ serverArgs: ['--local-infile=0'] });
  });
  after(async () => {
    await instance?.destroy();
  });

  it('gets statements in "auto", said once in the log naming local_infile; "on" fails the write', async () => {
    const auto = mysqlTarget('auto', instance, 'fda_auto', {}, 'auto', logger);
    const on = mysqlTarget('forced', instance, 'fda_forced', {}, 'on', logger);
    try {
      const rows = dailyBars(10, 10);
      for (let i = 0; i < 2; i++) {
        const [result] = await upsertRows([auto], dailyBarTable, rows, { bulkLoadMinRows: 1 });
        assert.equal(result!.ok, true);
        assert.equal(result!.statements, 3, 'BEGIN, one INSERT, COMMIT: the statement path');
      }
      const refusals = lines.filter((l) => l.msg.includes('local_infile'));
      assert.equal(refusals.length, 1, 'logged once for the target');
      assert.equal(refusals[0]!.target, 'auto');

      const [forced] = await upsertRows([on], dailyBarTable, rows, { bulkLoadMinRows: 1 });
      assert.equal(forced!.ok, false);
      assert.match(
        forced!.error!,
        /bulkLoad is "on" but the server refuses LOAD DATA LOCAL INFILE \(local_infile is OFF\)/,
      );
      assert.equal(forced!.attempts, 1, 'not retried: it cannot succeed');
    } finally {
      await Promise.all([auto.close(), on.close()]);
    }
  });
});
