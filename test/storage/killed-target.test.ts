/**
 * One target dies in the middle of a write: a MariaDB of the test's own, killed with SIGKILL once
 * its write has started. The other targets must commit every row, the result must name the dead
 * one, and writing again once it is back must fill it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import type { SqliteTarget } from '../../src/storage/sqlite-target.js';
import {
  failedTargetsError,
  tradeDayTable,
  upsertRows,
  type TargetWriteResult,
} from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import {
  countMysqlTradeDays,
  FAST_RETRY,
  mysqlTarget,
  readSqliteTradeDays,
  sqliteTarget,
  tradeDays,
} from './helpers.js';

const ROWS = 200_000;
const server = mysqlTestServer();
const summary = (r: TargetWriteResult) => [r.target, r.ok, r.inserted, r.updated, r.unchanged];

describe('a target killed during a write', { skip: await mysqlSkipReason() }, () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let instance: MariadbInstance;
  let healthy: MysqlTarget;
  let doomed: MysqlTarget;
  let lite: { target: SqliteTarget; remove(): void };
  const rows = tradeDays(ROWS, '1000-01-01');

  before(async () => {
    [shared, instance] = await Promise.all([createTestDatabase('killed'), startMariadbInstance()]);
    healthy = mysqlTarget('healthy', server, shared.name);
    doomed = mysqlTarget('doomed', instance, 'fda_doomed');
    lite = sqliteTarget('lite');
    await Promise.all([healthy.connect(), doomed.connect(), lite.target.connect()]);
  });
  after(async () => {
    await Promise.all([healthy?.close(), doomed?.close(), lite?.target.close()]);
    lite?.remove();
    await Promise.all([shared?.drop(), instance?.destroy()]);
  });

  it('leaves the others complete, names the failed target, and fills it on the next write', async () => {
    let killed: Promise<void> | undefined;
    const results = await upsertRows([healthy, doomed, lite.target], tradeDayTable, rows, {
      retry: FAST_RETRY,
      onProgress: (target, done, total) => {
        if (target === 'doomed' && done > 0 && done < total) killed ??= instance.kill();
      },
    });
    assert.ok(killed, 'the doomed write was under way when the server died');
    await killed;

    assert.deepEqual(results.map(summary), [
      ['healthy', true, ROWS, 0, 0],
      ['doomed', false, 0, 0, 0],
      ['lite', true, ROWS, 0, 0],
    ]);
    const failed = results[1]!;
    assert.equal(
      failed.attempts,
      FAST_RETRY.attempts,
      'a lost connection is transient: retried, then given up',
    );
    assert.match(
      failed.error!,
      /^storage target "doomed": write failed at (INSERT \d+ of \d+|connecting) \(3 attempts\): /,
    );
    assert.match(failed.error!, /ECONNREFUSED|Connection lost|closed state/);
    assert.equal(await countMysqlTradeDays(server, shared.name), ROWS);
    assert.equal((await readSqliteTradeDays(lite.target)).length, ROWS);

    const jobError = failedTargetsError(results);
    assert.ok(jobError);
    assert.equal(jobError.target, 'doomed');
    assert.match(
      jobError.message,
      /^storage target "doomed": 1 of 3 targets failed \(doomed\); written: healthy, lite\n/,
    );

    await instance.start();
    assert.equal(
      await countMysqlTradeDays(instance, 'fda_doomed'),
      0,
      'the killed transaction left nothing behind',
    );
    const again = await upsertRows([healthy, doomed, lite.target], tradeDayTable, rows, {
      retry: FAST_RETRY,
    });
    assert.deepEqual(again.map(summary), [
      ['healthy', true, 0, 0, ROWS],
      ['doomed', true, ROWS, 0, 0],
      ['lite', true, 0, 0, ROWS],
    ]);
    assert.equal(await countMysqlTradeDays(instance, 'fda_doomed'), ROWS);
    assert.equal(failedTargetsError(again), null);
  });

  it('retries a transient failure until the server is back, within the same write', async () => {
    await instance.kill();
    const fresh = tradeDays(1000, '2500-01-01');
    // Patient enough to outlast a restart (about a second); the first attempt finds the server down.
    const patient = { attempts: 60, firstDelayMs: 50, factor: 1.5, maxDelayMs: 250, jitter: 0 };
    const [[result]] = await Promise.all([
      upsertRows([doomed], tradeDayTable, fresh, { retry: patient }),
      instance.start(),
    ]);
    assert.equal(result!.error, null);
    assert.deepEqual([result!.ok, result!.inserted], [true, 1000]);
    assert.ok(result!.attempts > 1, `${result!.attempts} attempts`);
    assert.equal(await countMysqlTradeDays(instance, 'fda_doomed'), ROWS + 1000);
  });
});
