/**
 * What a client that retries can count on: the same idempotency key gives the same job, however
 * many times and however concurrently it is sent; and a status filter lists jobs whose returned
 * status matches it, even while the store lags behind a job's live state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import type { TestApp } from '../support/test-app.js';
import { gql, startGraphQLTestApp } from './support.js';

const SUBMIT = `mutation($key: String) {
  submitJob(idempotencyKey: $key, input: { steps: [{ name: "p", componentClassName: "TestRowsProducer", componentArguments: { ms: 100 } }] }) {
    __typename ... on Job { id } ... on JobSpecInvalid { problems { path message } }
  }
}`;

interface Submitted {
  submitJob: { __typename: string; id?: string; problems?: { path: string; message: string }[] };
}

describe('submitJob(idempotencyKey)', () => {
  let t: TestApp;
  before(async () => {
    t = await startGraphQLTestApp();
  });
  after(async () => t.destroy());

  it('the same key again returns the job it made; ten at once make one job', async () => {
    const first = await gql<Submitted>(t.url, SUBMIT, { key: 'nightly-2026-12-03' });
    const again = await gql<Submitted>(t.url, SUBMIT, { key: 'nightly-2026-12-03' });
    assert.equal(first.submitJob.__typename, 'Job');
    assert.equal(again.submitJob.id, first.submitJob.id);
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => gql<Submitted>(t.url, SUBMIT, { key: 'burst' })),
    );
    const ids = new Set(burst.map((r) => r.submitJob.id));
    assert.equal(ids.size, 1, JSON.stringify(burst));
    const other = await gql<Submitted>(t.url, SUBMIT, { key: 'another' });
    assert.ok(!ids.has(other.submitJob.id));
    const { jobs } = await gql<{ jobs: { nodes: { id: string }[] } }>(
      t.url,
      '{ jobs(first: 100) { nodes { id } } }',
    );
    assert.equal(jobs.nodes.length, 3);
  });

  it('a key that is empty or too long is a problem of the spec, naming the argument', async () => {
    const empty = await gql<Submitted>(t.url, SUBMIT, { key: '' });
    assert.deepEqual(empty.submitJob.problems, [
      { path: 'idempotencyKey', message: 'must not be empty' },
    ]);
    const long = await gql<Submitted>(t.url, SUBMIT, { key: 'k'.repeat(201) });
    assert.deepEqual(long.submitJob.problems, [
      { path: 'idempotencyKey', message: 'must be at most 200 characters' },
    ]);
  });
});

describe('jobs(status:) while the store lags behind', { skip: await mysqlSkipReason() }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t: TestApp;
  before(async () => {
    db = await createTestDatabase('joblist');
    const server = mysqlTestServer();
    t = await startGraphQLTestApp({
      server: { maxConcurrentJobs: 1 },
      storage: { control: 'c', mysql: { c: { ...server, database: db.name } } },
    });
  });
  after(async () => {
    await t?.destroy();
    await db?.drop();
  });

  it('a job that started but is still stored WAITING is not listed as WAITING', async () => {
    const blocker = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 10_000 }]]);
    const queued = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 10_000 }]]);
    // Hold the queued job's row, so the store cannot record its start.
    const holder = await mysql.createConnection({ ...mysqlTestServer(), database: db.name });
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM jobs WHERE id = ? FOR UPDATE', [queued.id]);
      void t.app.executor.cancel(blocker.id);
      while ((await t.app.executor.get(queued.id))?.status !== 'RUNNING')
        await new Promise((r) => setTimeout(r, 10));
      const [stored] = await holder.query<mysql.RowDataPacket[]>(
        'SELECT status FROM jobs WHERE id = ?',
        [queued.id],
      );
      assert.equal(stored[0]!.status, 'WAITING', 'the store lags');
      const { jobs } = await gql<{ jobs: { nodes: { id: string; status: string }[] } }>(
        t.url,
        '{ jobs(status: [WAITING]) { nodes { id status } } }',
      );
      assert.deepEqual(jobs.nodes, []);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await t.app.executor.cancel(queued.id);
    assert.equal((await waitForJob(t.app, queued.id)).status, 'CANCELLED');
  });
});
