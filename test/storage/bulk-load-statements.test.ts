/**
 * Statements of the bulk-load path for 1,000,000 rows, as a MariaDB of this test's own counts
 * them (`Questions`): into the empty table, then re-written with 10% changed.
 */
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2';
import { after, before, describe, it } from 'node:test';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import { dailyBarTable, upsertRows } from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { mysqlTarget, onServer } from './helpers.js';
import { dailyBars } from './market-rows.js';

describe('bulk-load statements for 1,000,000 rows', { skip: await mysqlSkipReason() }, () => {
  let instance: MariadbInstance;
  let target: MysqlTarget;

  before(async () => {
    instance = await startMariadbInstance({ serverArgs: ['--innodb-buffer-pool-size=256M'] });
    target = mysqlTarget('million', instance, 'fda_million', { queryTimeoutMs: 600_000 }, 'on');
    await target.connect();
  });
  after(async () => {
    await target?.close();
    await instance?.destroy();
  });

  const questions = () =>
    onServer(instance, undefined, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Questions'");
      return Number(rows[0]!.Value);
    });

  it('takes 4 statements into the empty table and 7 for a re-write, as the server counts', async () => {
    const rows = dailyBars(4000, 250);
    const counted = async (write: () => ReturnType<typeof upsertRows>) => {
      const q0 = await questions();
      const q1 = await questions();
      const [result] = await write();
      // What reading the counter costs is measured, not assumed.
      return { result: result!, server: (await questions()) - q1 - (q1 - q0) };
    };
    const first = await counted(() => upsertRows([target], dailyBarTable, rows));
    assert.deepEqual(
      [first.result.ok, first.result.inserted, first.result.error],
      [true, 1_000_000, null],
    );
    assert.equal(first.server, 4, 'BEGIN, the stored-keys check, LOAD DATA, COMMIT');
    assert.equal(first.result.statements, first.server, 'our count is the server’s');

    const changed = rows.map((r, i) => (i % 10 === 0 ? { ...r, close: '0.5' } : r));
    const again = await counted(() => upsertRows([target], dailyBarTable, changed));
    assert.deepEqual(
      [again.result.ok, again.result.inserted, again.result.updated, again.result.unchanged],
      [true, 0, 100_000, 900_000],
    );
    assert.equal(again.server, 7, 'BEGIN, check, CREATE, LOAD DATA, merge, DROP, COMMIT');
    assert.equal(again.result.statements, again.server);
  });
});
