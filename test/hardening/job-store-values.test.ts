/**
 * Values the job store cannot take, from a component or a caller, must never wedge the executor:
 * each job reaches a final state with a clear reason, its slot is freed, and the server still
 * stops within its grace time.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import type { TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';
import {
  hardeningConfigDir,
  startHardeningApp,
  steps,
  submit,
  submitJob,
  waitForFinal,
} from './support.js';

describe('a component whose result holds a BigInt, in the real server process', () => {
  let dir: string;
  let server: ServerProcess;
  before(async () => {
    dir = hardeningConfigDir({ server: { maxConcurrentJobs: 4, shutdownGraceSeconds: 5 } });
    server = await startServerProcess(dir);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('six such jobs each end FAILED naming setResult; the next job runs; SIGTERM exits within the grace', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(await submitJob(server.url, steps(['p', 'TestBigIntResult', ''])));
    for (const id of ids) {
      const job = await waitForFinal(server.url, id);
      assert.equal(job.status, 'FAILED');
      assert.match(job.error!, /^step "p" failed: setResult: the result is not JSON: .*BigInt/);
    }
    const next = await waitForFinal(
      server.url,
      await submitJob(server.url, steps(['p', 'TestRowsProducer', '', { rows: 1 }])),
    );
    assert.equal(next.status, 'FINISHED');
    const started = Date.now();
    assert.equal(await server.stop(), 0);
    assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
  });
});

describe(
  'free text and log batches past what a MySQL control store takes',
  { skip: await mysqlSkipReason() },
  () => {
    let instance: MariadbInstance;
    let t: TestApp;
    const PACKET = 65_536;

    before(async () => {
      // A small packet limit: one batch of a chatty job is many times larger.
      instance = await startMariadbInstance({ serverArgs: [`--max-allowed-packet=${PACKET}`] });
      t = await startHardeningApp({
        server: { log: { level: 'info', batchMs: 1000, batchLines: 100_000 } },
        storage: {
          control: 'control',
          mysql: {
            control: {
              host: instance.host,
              port: instance.port,
              user: instance.user,
              password: instance.password,
              database: 'fda_values',
            },
          },
        },
      });
    });
    after(async () => {
      await t?.destroy();
      await instance?.destroy();
    });

    it('a 30-day timeout is stored as it is (past INT), and does not fire early', async () => {
      const id = await submitJob(
        t.url,
        steps(['p', 'TestRowsProducer', '', { ms: 200 }]),
        2_592_000,
      );
      const job = await waitForFinal(t.url, id);
      assert.equal(job.status, 'FINISHED', job.error ?? undefined);
      assert.equal((await t.app.store.get(id))?.timeoutMs, 2_592_000_000);
      const answer = await submit(t.url, steps(['p', 'TestRowsProducer', '']), 32 * 86_400);
      assert.deepEqual(answer.problems, [
        { path: 'timeoutSeconds', message: 'must be at most 2678400 seconds (31 days)' },
      ]);
    });

    it('a 300-character step name is refused at validation, naming the step', async () => {
      const name = 's'.repeat(300);
      const answer = await submit(t.url, steps([name, 'TestRowsProducer', '']));
      assert.equal(answer.__typename, 'JobSpecInvalid');
      assert.deepEqual(answer.problems, [
        {
          path: 'steps[0].name',
          message:
            'a step name is at most 200 characters (it is stored with every log line); this one has 300',
        },
      ]);
    });

    it('a 64 KB cancel reason is refused by the API, and cut to fit when the executor is given one', async () => {
      const id = await submitJob(t.url, steps(['p', 'TestRowsProducer', '', { ms: 10_000 }]));
      const reason = 'r'.repeat(65_536);
      const { cancelJob } = await gql<{
        cancelJob: { __typename: string; problems?: { path: string; message: string }[] };
      }>(
        t.url,
        `mutation($id: ID!, $reason: String) { cancelJob(id: $id, reason: $reason) {
        __typename ... on InvalidInput { problems { path message } } } }`,
        { id, reason },
      );
      assert.equal(cancelJob.__typename, 'InvalidInput');
      assert.deepEqual(cancelJob.problems, [
        { path: 'reason', message: 'must be at most 1000 characters' },
      ]);
      // Inside the server (a schedule, a shutdown) a long reason is cut, and the job still ends.
      const cancelled = await t.app.executor.cancel(id, reason);
      assert.equal(cancelled.status, 'CANCELLED');
      assert.ok(cancelled.error!.length <= 1000, `${cancelled.error!.length} characters`);
      assert.match(cancelled.error!, /… \(truncated: 65536 characters in all\)$/);
      const stored = await t.app.store.get(id);
      assert.equal(stored?.status, 'CANCELLED');
      assert.equal(stored?.error, cancelled.error);
    });

    it('a batch of lines many times the packet limit is stored in pieces, every line; a line larger than a packet is cut', async () => {
      const packetsBefore = await instance.status('Com_insert');
      const job = await submitSteps(t.app, [
        ['p', 'TestLines', '', { lines: 3000, bytes: 200, bigLine: 200_000 }],
      ]);
      const done = await waitForJob(t.app, job.id);
      assert.equal(done.status, 'FINISHED', done.error ?? undefined);
      // The job's own lines (started, finished) around the 3,001 it wrote.
      const lines = await t.app.store.logLines(job.id, 0, 10_000);
      assert.equal(lines.length, done.logCount);
      assert.deepEqual(
        lines.map((l) => l.seq),
        lines.map((_, i) => i + 1),
      );
      // Cut by the log to 32,768 characters, then to what one packet holds.
      const big = lines.find((l) => l.message.startsWith('中中'))!;
      assert.match(big.message, /… \(cut to fit the database's packet limit: \d+ bytes in all\)$/);
      assert.ok(Buffer.byteLength(big.message) < PACKET);
      // 3,000 lines of ~260 bytes are 780 KB: at least a dozen inserts of under 64 KB.
      assert.ok((await instance.status('Com_insert')) - packetsBefore >= 12);
      const admin = await mysql.createConnection({
        host: instance.host,
        port: instance.port,
        user: instance.user,
        password: instance.password,
        database: 'fda_values',
      });
      try {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(
          'SELECT COUNT(*) AS n FROM job_log_lines WHERE job_id = ?',
          [job.id],
        );
        assert.equal(Number(rows[0]!.n), done.logCount);
      } finally {
        await admin.end();
      }
    });
  },
);
