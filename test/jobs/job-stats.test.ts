import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { jobStatsStatement } from '../../src/jobs/job-stats.js';
import type { Job, JobStatus } from '../../src/jobs/job.js';
import { sqlRunnerFor } from '../../src/storage/sql-runner.js';
import { gql, startGraphQLTestApp } from '../graphql/support.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import type { TestApp } from '../support/test-app.js';
import { waitingJob } from './support.js';

const SINCE = new Date('2024-05-06T00:00:00.000Z');
const at = (offsetMinutes: number) => new Date(SINCE.getTime() + offsetMinutes * 60_000);

/** [status, finished at (minutes from SINCE), or null for a job not ended] */
const JOBS: Array<[JobStatus, number | null]> = [
  ['WAITING', null],
  ['WAITING', null],
  ['RUNNING', null],
  ['FINISHED', -90],
  ['FINISHED', -1],
  ['FINISHED', 0], // exactly at `since`: counted
  ['FINISHED', 5],
  ['FINISHED', 600],
  ['FAILED', -30],
  ['FAILED', 1],
  ['FAILED', 2],
  ['CANCELLED', -5],
  ['CANCELLED', 3],
];

function storedJob(i: number, status: JobStatus, finished: number | null): Job {
  const job = waitingJob(`01STATS${String(i).padStart(4, '0')}`);
  return {
    ...job,
    status,
    submittedAt: at(-200),
    startedAt: status === 'WAITING' ? null : at(-100),
    finishedAt: finished === null ? null : at(finished),
  };
}

const STATS = `query ($since: DateTime) { jobStats(since: $since) {
  since waiting running finished failed cancelled } }`;

function statsSuite(name: string, storage: () => Promise<Record<string, unknown>>, plan: RegExp) {
  describe(`jobStats on ${name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startGraphQLTestApp({ storage: await storage() });
      for (const [i, [status, finished]] of JOBS.entries())
        assert.equal(await t.app.store.insert(storedJob(i, status, finished)), 'inserted');
    });
    after(() => t?.destroy());

    it('counts live jobs now and ended ones from `since` on, exactly', async () => {
      const { jobStats } = await gql(t.url, STATS, { since: SINCE.toISOString() });
      assert.deepEqual(jobStats, {
        since: SINCE.toISOString(),
        waiting: 2,
        running: 1,
        finished: 3,
        failed: 2,
        cancelled: 1,
      });
      const later = await gql<{ jobStats: { finished: number; waiting: number } }>(t.url, STATS, {
        since: at(1).toISOString(),
      });
      assert.equal(later.jobStats.finished, 2, 'the job that ended at `since` drops out');
      assert.equal(later.jobStats.waiting, 2);
    });

    it('without `since`, counts every stored job', async () => {
      const { jobStats } = await gql(
        t.url,
        `{ jobStats { since waiting running finished failed cancelled } }`,
      );
      assert.deepEqual(jobStats, {
        since: null,
        waiting: 2,
        running: 1,
        finished: 5,
        failed: 3,
        cancelled: 2,
      });
    });

    it('is one statement read from the index (finished_at, status)', async () => {
      const db = sqlRunnerFor(t.app.targets.control());
      const statement = jobStatsStatement(db.dialect, SINCE);
      const explained = await db.all<Record<string, unknown>>(
        db.dialect === 'sqlite' ? sql`EXPLAIN QUERY PLAN ${statement}` : sql`EXPLAIN ${statement}`,
      );
      assert.match(JSON.stringify(explained), plan);
    });
  });
}

statsSuite(
  'SQLite',
  () => Promise.resolve({ sqlite: { local: { file: 'control.sqlite' } } }),
  /COVERING INDEX jobs_finished_at_status/,
);

const skip = await mysqlSkipReason();
describe('jobStats on MySQL', { skip }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    db = await createTestDatabase('dash2_jobstats');
  });
  after(() => db?.drop());
  statsSuite(
    'the MySQL control target',
    () =>
      Promise.resolve({ control: 'c', mysql: { c: { ...mysqlTestServer(), database: db.name } } }),
    /"key":"jobs_finished_at_status".*"Extra":"[^"]*Using index/,
  );
});
