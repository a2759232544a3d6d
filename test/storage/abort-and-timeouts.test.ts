/**
 * A write stuck on a row lock (another transaction holds the row) must still end: by the job's
 * signal (rolled back, rejected with the signal's reason) or by the target's statement timeout
 * (retried as transient, then reported). A non-transient error fails at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { JobCancelledError } from '../../src/errors.js';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { address, countMysqlTradeDays, mysqlTarget, onServer, tradeDays } from './helpers.js';

const server = mysqlTestServer();
const LOCKED_DAY = '2031-01-01';

describe('a write that cannot proceed', { skip: await mysqlSkipReason() }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let target: MysqlTarget;
  let impatient: MysqlTarget;
  let locker: mysql.Connection | undefined;
  const rows = tradeDays(500, '2030-10-01');

  before(async () => {
    db = await createTestDatabase('stuck');
    target = mysqlTarget('stuck', server, db.name);
    impatient = mysqlTarget('impatient', server, db.name, { queryTimeoutMs: 300 });
    await Promise.all([target.connect(), impatient.connect()]);
  });
  after(async () => {
    await locker?.end();
    await Promise.all([target?.close(), impatient?.close()]);
    await db?.drop();
  });

  /** Another client inserts the locked day and keeps its transaction open: our INSERT must wait for it. */
  async function lockOneRow(): Promise<void> {
    locker = await mysql.createConnection({ ...address(server), database: db.name });
    await locker.query('BEGIN');
    await locker.query("INSERT INTO trade_day VALUES (?, 1, 'locker', UTC_TIMESTAMP(3))", [
      LOCKED_DAY,
    ]);
  }
  async function releaseLock(): Promise<void> {
    await locker?.query('ROLLBACK');
    await locker?.end();
    locker = undefined;
  }

  /** Transactions of our database waiting for a lock. */
  async function lockWaits(): Promise<number> {
    return onServer(server, undefined, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
         WHERE t.trx_state = 'LOCK WAIT' AND p.DB = ?`,
        [db.name],
      );
      return Number(rows[0]!.n);
    });
  }
  async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
    // InnoDB refreshes INNODB_TRX only when nobody read it for 0.1 s: polling faster freezes it.
    for (let i = 0; i < 100; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    const state = await onServer(server, undefined, async (c) => [
      (
        await c.query(
          'SELECT trx_state, trx_mysql_thread_id, LEFT(trx_query, 50) q FROM information_schema.INNODB_TRX',
        )
      )[0],
      (
        await c.query('SELECT ID, DB, STATE, LEFT(INFO, 50) i FROM information_schema.PROCESSLIST')
      )[0],
    ]);
    throw new Error(`gave up waiting for ${what}: ${JSON.stringify(state)}`);
  }

  it('an abort rolls back the open transaction at once and rejects with the signal’s reason', async () => {
    await lockOneRow();
    try {
      const controller = new AbortController();
      const write = upsertRows([target], tradeDayTable, rows, { signal: controller.signal });
      await until(async () => (await lockWaits()) === 1, 'the upsert to wait for the lock');
      controller.abort(new JobCancelledError('cancelled by the test'));
      await assert.rejects(
        write,
        (error: unknown) =>
          error instanceof JobCancelledError && error.reason === 'cancelled by the test',
      );
      // The blocked statement was killed on the server, not left waiting for the lock to go.
      await until(async () => (await lockWaits()) === 0, 'the killed statement to leave');
    } finally {
      await releaseLock();
    }
    assert.equal(await countMysqlTradeDays(server, db.name), 0);
  });

  it('an already aborted signal writes nothing', async () => {
    const controller = new AbortController();
    controller.abort(new JobCancelledError('too late'));
    await assert.rejects(
      upsertRows([target], tradeDayTable, rows, { signal: controller.signal }),
      /cancelled: too late/,
    );
  });

  it('a statement over queryTimeoutMs is dropped, retried as transient, then reported', async () => {
    await lockOneRow();
    try {
      const [result] = await upsertRows([impatient], tradeDayTable, rows, {
        retry: { attempts: 2, firstDelayMs: 10, factor: 1, maxDelayMs: 10, jitter: 0 },
      });
      assert.equal(result!.ok, false);
      assert.equal(result!.attempts, 2);
      assert.equal(
        result!.error,
        'storage target "impatient": write failed at INSERT 1 of 1 (2 attempts): INSERT 1 of 1 took longer than 300 ms (queryTimeoutMs); ' +
          'the connection was dropped and the transaction rolled back [STATEMENT_TIMEOUT]',
      );
      // Each attempt: BEGIN, the INSERT, and the KILL that stopped it.
      assert.equal(result!.statements, 6);
      await until(async () => (await lockWaits()) === 0, 'the killed statements to leave');
    } finally {
      await releaseLock();
    }
    const [after] = await upsertRows([impatient], tradeDayTable, rows);
    assert.deepEqual([after!.ok, after!.inserted], [true, 500]);
  });

  it('a non-transient error fails at once, without a retry', async () => {
    await onServer(server, db.name, (c) => c.query('RENAME TABLE trade_day TO trade_day_away'));
    try {
      const [result] = await upsertRows([target], tradeDayTable, rows);
      assert.equal(result!.ok, false);
      assert.equal(result!.attempts, 1);
      assert.match(
        result!.error!,
        /^storage target "stuck": write failed at INSERT 1 of 1: Table '.*trade_day' doesn't exist \[ER_NO_SUCH_TABLE\]$/,
      );
      // BEGIN, the failed INSERT, ROLLBACK.
      assert.equal(result!.statements, 3);
    } finally {
      await onServer(server, db.name, (c) => c.query('RENAME TABLE trade_day_away TO trade_day'));
    }
  });
});
