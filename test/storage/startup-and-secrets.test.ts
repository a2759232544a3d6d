/**
 * The server with a MySQL target that is down when it starts: it starts anyway, reports the target
 * unreachable, and writes to it once it is up. Its password (from `${VAR}`) must appear nowhere:
 * not in the logs, errors, results, the configuration's printed forms or the health endpoint.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { tableSizes } from '../../src/storage/table-sizes.js';
import { failedTargetsError, tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { FAST_RETRY, onServer, tradeDays } from './helpers.js';

const PASSWORD = `pw-${randomBytes(9).toString('base64url')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(9).toString('base64url')}`;

describe(
  'a MySQL target down at start-up, and its password',
  { skip: await mysqlSkipReason() },
  () => {
    let instance: MariadbInstance;
    let t: TestApp;
    /** Everything the test saw that a user could see too. */
    const seen: string[] = [];

    before(async () => {
      instance = await startMariadbInstance();
      await onServer(instance, undefined, async (c) => {
        await c.query('CREATE USER ?@? IDENTIFIED BY ?', ['fda', '%', PASSWORD]);
        await c.query('GRANT ALL ON *.* TO ?@?', ['fda', '%']);
      });
      await instance.kill();
      const mysqlTarget = (password: string) => ({
        host: instance.host,
        port: instance.port,
        user: 'fda',
        password,
        database: 'fda_remote',
        pool: { connectTimeoutMs: 2000 },
      });
      t = await startTestApp({
        storage: {
          control: 'local',
          sqlite: { local: { file: 'control.sqlite' } },
          mysql: {
            remote: mysqlTarget('${FDA_TEST_DB_PASSWORD}'),
            denied: mysqlTarget('${FDA_TEST_WRONG_PASSWORD}'),
          },
        },
        env: { FDA_TEST_DB_PASSWORD: PASSWORD, FDA_TEST_WRONG_PASSWORD: WRONG_PASSWORD },
      });
    });
    after(async () => {
      await t?.destroy();
      await instance?.destroy();
    });

    it('starts, and reports the target unreachable with the reason', async () => {
      const remote = t.app.targets.get('remote');
      assert.equal(remote.state.reachable, false);
      const warning = t.logs
        .map((line) => JSON.parse(line) as { msg: string; target?: string })
        .find((l) => l.target === 'remote');
      assert.equal(
        warning?.msg,
        'storage target unreachable at start-up; it will be retried when used',
      );

      const sizes = await tableSizes(remote);
      seen.push(JSON.stringify(sizes));
      assert.deepEqual(
        [sizes.reachable, sizes.tables, sizes.location],
        [false, [], `mysql://fda@127.0.0.1:${instance.port}/fda_remote`],
      );
      assert.match(
        sizes.error!,
        /^storage target "remote": mysql:\/\/fda@127\.0\.0\.1:\d+\/fda_remote: connect ECONNREFUSED/,
      );

      const results = await upsertRows(
        [t.app.targets.get('local'), remote],
        tradeDayTable,
        tradeDays(981),
        { retry: FAST_RETRY, logger: t.app.logger },
      );
      seen.push(JSON.stringify(results), failedTargetsError(results)?.message ?? '');
      assert.deepEqual(
        results.map((r) => [r.target, r.ok, r.inserted, r.attempts]),
        [
          ['local', true, 981, 1],
          ['remote', false, 0, FAST_RETRY.attempts],
        ],
      );
      assert.match(
        results[1]!.error!,
        /^storage target "remote": write failed at connecting \(3 attempts\): mysql:\/\/fda@127\.0\.0\.1:\d+\/fda_remote: connect ECONNREFUSED/,
      );
    });

    it('works once the server is up: created, migrated and written on first use', async () => {
      await instance.start();
      const remote = t.app.targets.get('remote');
      const [result] = await upsertRows([remote], tradeDayTable, tradeDays(981), {
        logger: t.app.logger,
      });
      seen.push(JSON.stringify(result));
      assert.deepEqual([result!.ok, result!.inserted, result!.attempts], [true, 981, 1]);
      const sizes = await tableSizes(remote);
      seen.push(JSON.stringify(sizes));
      assert.equal(sizes.reachable, true);
      assert.equal(sizes.error, null);
      assert.ok(sizes.tables.some((table) => table.table === 'trade_day' && table.totalBytes > 0));
      assert.equal(remote.state.reachable, true);
    });

    it('fails a target whose password is refused at once (not transient), without printing it', async () => {
      const denied = t.app.targets.get('denied');
      const [result] = await upsertRows([denied], tradeDayTable, tradeDays(3), {
        retry: FAST_RETRY,
        logger: t.app.logger,
      });
      seen.push(JSON.stringify(result), failedTargetsError([result!])!.message);
      assert.equal(result!.ok, false);
      assert.equal(result!.attempts, 1);
      assert.match(result!.error!, /Access denied for user 'fda'@'[^']+' \(using password: YES\)/);
      const sizes = await tableSizes(denied);
      seen.push(JSON.stringify(sizes));
      assert.equal(sizes.reachable, false);
    });

    it('never prints a password: logs, errors, results, configuration, health', async () => {
      const health = await fetch(`${t.url}/health`);
      seen.push(await health.text());
      const remote = t.app.targets.get('remote');
      seen.push(
        ...t.logs,
        inspect(t.app.config, { depth: 20 }),
        JSON.stringify(t.app.config),
        String(
          t.app.config.storage.targets.map((target) =>
            'password' in target ? target.password : '',
          ),
        ),
        remote.describe(),
        JSON.stringify(remote.state),
        inspect(remote, { depth: 5 }),
      );
      assert.ok(t.logs.length > 0);
      for (const text of seen) {
        assert.ok(!text.includes(PASSWORD), `the password leaked into: ${text.slice(0, 300)}`);
        assert.ok(
          !text.includes(WRONG_PASSWORD),
          `the wrong password leaked into: ${text.slice(0, 300)}`,
        );
      }
    });
  },
);
