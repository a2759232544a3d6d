/**
 * A statement larger than max_allowed_packet makes the server drop the connection, so chunks are
 * sized from the server's limit. A server of the test's own with a 64 KiB limit takes 100,000 rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { mysqlTarget, onServer, tradeDays } from './helpers.js';

const PACKET = 65_536;

describe('a server with a small max_allowed_packet', { skip: await mysqlSkipReason() }, () => {
  let instance: MariadbInstance;
  let target: MysqlTarget;

  before(async () => {
    instance = await startMariadbInstance({ serverArgs: [`--max-allowed-packet=${PACKET}`] });
    target = mysqlTarget('small', instance, 'fda_small_packet', {}, 'off');
  });
  after(async () => {
    await target?.close();
    await instance?.destroy();
  });

  it('takes 100,000 rows in many statements, none over the limit, without an error', async () => {
    assert.equal((await target.connect()).maxAllowedPacket, PACKET);
    // Long sources make the rows uneven, so the byte budget, not a row count, decides the cuts.
    const rows = tradeDays(100_000, '1700-01-01').map((row, i) =>
      i % 3 === 0 ? { ...row, source: `中文-${'x'.repeat(i % 25)}` } : row,
    );
    const progress: number[] = [];
    const [result] = await upsertRows([target], tradeDayTable, rows, {
      onProgress: (_t, done) => progress.push(done),
    });
    assert.equal(result!.error, null);
    assert.deepEqual([result!.ok, result!.inserted, result!.attempts], [true, 100_000, 1]);
    const inserts = result!.statements - 2;
    assert.ok(inserts >= 100_000 / (PACKET / 40), `${inserts} INSERT statements`);
    assert.equal(progress.length, inserts);
    assert.equal(progress.at(-1), 100_000);

    await onServer(instance, 'fda_small_packet', async (c) => {
      const [count] = await c.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n, SUM(source LIKE ?) AS long_sources FROM trade_day',
        ['中文-%'],
      );
      assert.deepEqual(
        [Number(count[0]!.n), Number(count[0]!.long_sources)],
        [100_000, Math.ceil(100_000 / 3)],
      );
      // The server's own view: no statement was refused or cut.
      const [status] = await c.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Aborted_clients'");
      assert.equal(Number(status[0]!.Value), 0);
    });

    const [again] = await upsertRows([target], tradeDayTable, rows);
    assert.deepEqual(
      [again!.ok, again!.unchanged, again!.statements],
      [true, 100_000, result!.statements],
    );
  });
});
