/** upsertBatches: a stream of batches, a transaction per batch and target, summed counts. */
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2';
import { after, before, describe, it } from 'node:test';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import type { SqliteTarget } from '../../src/storage/sqlite-target.js';
import {
  dailyBarTable,
  upsertBatches,
  type BatchCommitted,
  type DailyBarRow,
} from '../../src/storage/upsert/index.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { mysqlTarget, onServer, sqliteTarget } from './helpers.js';
import { dailyBars } from './market-rows.js';

const server = mysqlTestServer();

/** 20 codes × 250 days in batches of one code each (the way a storager streams them). */
function* byCode(rows: readonly DailyBarRow[]): Generator<DailyBarRow[]> {
  for (let start = 0; start < rows.length; start += 250) yield rows.slice(start, start + 250);
}

const storedCount = (database: string) =>
  onServer(server, database, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM daily_bar');
    return Number(rows[0]!.n);
  });

describe('upsertBatches', { skip: await mysqlSkipReason() }, () => {
  const dbs: Array<{ name: string; drop(): Promise<void> }> = [];
  let my: MysqlTarget;
  let other: MysqlTarget;
  let lite: { target: SqliteTarget; remove(): void };
  const rows = dailyBars(20, 250);

  before(async () => {
    dbs.push(await createTestDatabase('batches'), await createTestDatabase('batches_b'));
    my = mysqlTarget('my', server, dbs[0]!.name, {}, 'on');
    other = mysqlTarget('other', server, dbs[1]!.name, {}, 'on');
    lite = sqliteTarget('lite');
  });
  after(async () => {
    await Promise.all([my?.close(), other?.close(), lite?.target.close()]);
    lite?.remove();
    await Promise.all(dbs.map((db) => db.drop()));
  });

  it('writes each batch in one transaction per target, reports each, and sums the counts', async () => {
    const seen: BatchCommitted[] = [];
    const results = await upsertBatches([my, lite.target], dailyBarTable, byCode(rows), {
      bulkLoadMinRows: 1,
      onBatch: (b) => seen.push(b),
    });
    for (const r of results) {
      assert.deepEqual(
        [r.ok, r.inserted, r.updated, r.unchanged, r.error],
        [true, 5000, 0, 0, null],
      );
    }
    assert.equal(seen.length, 40, 'one report per batch and target');
    const mine = seen.filter((b) => b.target === 'my');
    assert.deepEqual(
      mine.map((b) => b.batch),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.deepEqual(mine.at(-1)!.total, {
      inserted: 5000,
      updated: 0,
      unchanged: 0,
      rows: 5000,
      batches: 20,
    });
    // Every batch is new, so each goes straight in: BEGIN, the stored-keys check, LOAD DATA, COMMIT.
    assert.equal(results[0]!.statements, 20 * 4);

    // An async source, every tenth bar changed: the same sums on both targets.
    async function* changed(): AsyncGenerator<DailyBarRow[]> {
      for (const batch of byCode(rows)) {
        await Promise.resolve();
        yield batch.map((r, i) => (i % 10 === 0 ? { ...r, close: '0.5' } : r));
      }
    }
    const again = await upsertBatches([my, lite.target], dailyBarTable, changed(), {
      bulkLoadMinRows: 1,
    });
    for (const r of again)
      assert.deepEqual([r.ok, r.inserted, r.updated, r.unchanged], [true, 0, 500, 4500]);
  });

  it('reports a failing target with what it committed, and goes on with the others', async () => {
    async function* droppingTheTableOfOther(): AsyncGenerator<DailyBarRow[]> {
      let i = 0;
      for (const batch of byCode(rows)) {
        if (i++ === 3)
          await onServer(server, dbs[1]!.name, (c) =>
            c.query('RENAME TABLE daily_bar TO daily_bar_gone'),
          );
        yield batch;
      }
    }
    const seen: BatchCommitted[] = [];
    const [mine, theirs] = await upsertBatches(
      [my, other],
      dailyBarTable,
      droppingTheTableOfOther(),
      {
        bulkLoadMinRows: 1,
        onBatch: (b) => seen.push(b),
      },
    );
    assert.deepEqual([mine!.ok, mine!.updated, mine!.unchanged], [true, 500, 4500]);
    assert.equal(theirs!.ok, false);
    assert.equal(theirs!.inserted, 750, 'three batches committed before the failure');
    assert.match(
      theirs!.error!,
      /storage target "other".*at batch 4; 3 batches of 750 rows committed before/,
    );
    assert.equal(seen.filter((b) => b.target === 'other').length, 3);
    assert.equal(seen.filter((b) => b.target === 'my').length, 20);
    await onServer(server, dbs[1]!.name, (c) =>
      c.query('RENAME TABLE daily_bar_gone TO daily_bar'),
    );
  });

  it('stops at an abort: the batch in flight rolled back, those before it kept', async () => {
    await onServer(server, dbs[1]!.name, (c) => c.query('TRUNCATE daily_bar'));
    const controller = new AbortController();
    const fresh = dailyBars(20, 250, 1);
    let batches = 0;
    await assert.rejects(
      upsertBatches([other], dailyBarTable, byCode(fresh), {
        bulkLoadMinRows: 1,
        signal: controller.signal,
        onBatch: () => {
          batches += 1;
        },
        onProgress: () => {
          if (batches === 5) controller.abort(new Error('cancelled'));
        },
      }),
      /cancelled/,
    );
    assert.equal(batches, 5);
    assert.equal(await storedCount(dbs[1]!.name), 5 * 250);
  });
});
