/**
 * Statements counted by the server itself: a MariaDB of this test's own, so no other test's
 * traffic is mixed into its global status counters.
 */
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2';
import { after, before, describe, it } from 'node:test';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import {
  tradeDayTable,
  upsertRows,
  type TargetWriteResult,
} from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { countMysqlTradeDays, mysqlTarget, onServer, tradeDays } from './helpers.js';

const COUNTERS = ['Questions', 'Com_begin', 'Com_insert', 'Com_commit', 'Com_rollback'] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

describe(
  'statements per write, as the server counts them',
  { skip: await mysqlSkipReason() },
  () => {
    let instance: MariadbInstance;
    let target: MysqlTarget;

    before(async () => {
      instance = await startMariadbInstance();
      target = mysqlTarget('counted', instance, 'fda_counted', {}, 'off');
      await target.connect(); // database created and migrated before counting starts
    });
    after(async () => {
      await target?.close();
      await instance?.destroy();
    });

    /** All counters in one statement, so a reading costs the same every time. */
    async function counters(): Promise<Counters> {
      return onServer(instance, undefined, async (c) => {
        const [rows] = await c.query<RowDataPacket[]>(
          'SHOW GLOBAL STATUS WHERE Variable_name IN (?)',
          [COUNTERS],
        );
        const values = new Map(rows.map((r) => [String(r.Variable_name), Number(r.Value)]));
        return Object.fromEntries(
          COUNTERS.map((name) => [name, values.get(name) ?? NaN]),
        ) as Counters;
      });
    }

    /** Runs the write between two readings of the counters, less what reading them costs. */
    async function counted(
      write: () => Promise<TargetWriteResult[]>,
    ): Promise<{ result: TargetWriteResult; server: Counters }> {
      const c0 = await counters();
      const c1 = await counters();
      const [result] = await write();
      const c2 = await counters();
      const server = Object.fromEntries(
        COUNTERS.map((name) => [name, c2[name] - c1[name] - (c1[name] - c0[name])]),
      ) as Counters;
      return { result: result!, server };
    }

    it('981 rows: BEGIN, one INSERT, COMMIT (at most 4 statements), and a re-run changes nothing', async () => {
      const rows = tradeDays(981);
      const first = await counted(() => upsertRows([target], tradeDayTable, rows));
      assert.deepEqual(
        [first.result.ok, first.result.inserted, first.result.updated, first.result.unchanged],
        [true, 981, 0, 0],
      );
      assert.ok(
        first.server.Questions <= 4,
        `the server counted ${first.server.Questions} statements`,
      );
      assert.deepEqual(first.server, {
        Questions: 3,
        Com_begin: 1,
        Com_insert: 1,
        Com_commit: 1,
        Com_rollback: 0,
      });
      assert.equal(first.result.statements, first.server.Questions, 'our count is the server’s');

      const again = await counted(() => upsertRows([target], tradeDayTable, rows));
      assert.deepEqual(
        [again.result.ok, again.result.inserted, again.result.updated, again.result.unchanged],
        [true, 0, 0, 981],
      );
      assert.equal(again.server.Questions, 3);
      assert.equal(again.result.statements, 3);
    });

    it('13,000 rows: at most 10 statements', async () => {
      const rows = tradeDays(13_000, '1800-01-01');
      const { result, server } = await counted(() => upsertRows([target], tradeDayTable, rows));
      assert.deepEqual(
        [result.ok, result.inserted, result.updated, result.unchanged],
        [true, 13_000, 0, 0],
      );
      assert.ok(server.Questions <= 10, `the server counted ${server.Questions} statements`);
      assert.equal(result.statements, server.Questions);
      assert.equal(server.Com_insert, server.Questions - 2);
      assert.equal(await countMysqlTradeDays(instance, 'fda_counted'), 13_000 + 981);

      const again = await counted(() => upsertRows([target], tradeDayTable, rows));
      assert.deepEqual(
        [again.result.inserted, again.result.updated, again.result.unchanged],
        [0, 0, 13_000],
      );
      // Our own count is exact; the server's global counters can be nudged by a query of
      // another connection landing in the measured window, so they are held to the bound.
      assert.equal(again.result.statements, result.statements);
      assert.ok(again.server.Questions <= 10, `the server counted ${again.server.Questions}`);
    });
  },
);
