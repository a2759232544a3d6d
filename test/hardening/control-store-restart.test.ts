import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skip = await mysqlSkipReason();

describe('the job store’s database restarting while jobs run', { skip }, () => {
  let instance: MariadbInstance;
  let t: TestApp;

  before(async () => {
    instance = await startMariadbInstance();
    t = await startTestApp({
      storage: {
        control: 'control',
        mysql: {
          control: {
            host: instance.host,
            port: instance.port,
            user: 'root',
            password: '',
            database: 'fda_control',
            pool: { connectTimeoutMs: 1000 },
          },
        },
      },
    });
  });
  after(async () => {
    await t?.destroy();
    await instance?.destroy();
  });

  it('loses no job state and no log line: every job ends stored in its final state', async () => {
    const jobs = await Promise.all([
      submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 1500, lines: 200 }]]),
      submitSteps(t.app, [
        ['p', 'TestRowsProducer', '', { ms: 1500, fail: 'on purpose', lines: 50 }],
      ]),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    await instance.kill();
    // The jobs end (and write their last lines and final state) while the database is down.
    await new Promise((r) => setTimeout(r, 1800));
    await instance.start();
    const done = await Promise.all(jobs.map((j) => waitForJob(t.app, j.id, 60_000)));
    assert.deepEqual(
      done.map((j) => j.status),
      ['FINISHED', 'FAILED'],
    );
    for (const job of done) {
      const stored = await t.app.store.get(job.id);
      assert.equal(stored?.status, job.status, 'the final state reached the store');
      const lines = await t.app.store.logLines(job.id, 0, 10_000);
      assert.equal(lines.length, job.logCount);
      assert.deepEqual(
        lines.map((l) => l.seq),
        lines.map((_, i) => i + 1),
        'no line lost or repeated',
      );
    }
    assert.ok(
      t.logs.some((l) => l.includes('retrying')),
      'the outage was logged',
    );
    // And the server takes new jobs once the store is back.
    const after = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { rows: 1 }]]);
    assert.equal((await waitForJob(t.app, after.id)).status, 'FINISHED');
  });
});
