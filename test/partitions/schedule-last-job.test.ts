import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gql } from '../graphql/support.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { NEVER, pipeline, plantCalendar, scheduleFolder, until } from './schedule-support.js';

const WEEK = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];
const LAST_JOB = `query ($name: String!) { schedule(name: $name) {
  lastJob { id origin { type name } partition } } }`;

interface LastJob {
  id: string;
  origin: { type: string; name: string };
  partition: string | null;
}

describe('Schedule.lastJob: the newest job of any origin tied to the schedule', () => {
  const folder = scheduleFolder();
  let t: TestApp;
  const lastJob = async (name: string) =>
    (await gql<{ schedule: { lastJob: LastJob | null } }>(t.url, LAST_JOB, { name })).schedule
      .lastJob;

  before(async () => {
    for (const name of ['bars', 'other'])
      folder.write(name, {
        pipeline_structure: pipeline({ ms: 10 }),
        trigger: NEVER,
        partitions: { by: 'trading_day' },
      });
    writeTestConfig(folder.dir, {
      server: { scheduledJobsDir: folder.schedules, schedules: { watch: false } },
    });
    t = await startTestApp({ dir: folder.dir });
    await plantCalendar(
      t.app,
      [...WEEK, '2024-03-09', '2024-03-10'].map((day, i) => ({ day, trading: i < 5 })),
    );
  });
  after(async () => {
    await t?.destroy();
    rmSync(folder.dir, { recursive: true, force: true });
  });

  it('is null before anything ran, then the run-now job, then the backfill’s newest day', async () => {
    assert.equal(await lastJob('bars'), null);
    const run = await gql<{ runSchedule: { id: string } }>(
      t.url,
      `mutation { runSchedule(name: "bars", partition: "2024-03-04") { ... on Job { id } ... on Error { message } } }`,
    );
    await waitForJob(t.app, run.runSchedule.id);
    assert.deepEqual(await lastJob('bars'), {
      id: run.runSchedule.id,
      origin: { type: 'SCHEDULE', name: 'bars' },
      partition: '2024-03-04',
    });

    const created = await gql<{ backfill: { id: string; total: number } }>(
      t.url,
      `mutation { backfill(schedule: "bars", from: "2024-03-05", to: "2024-03-08") { ... on Backfill { id total } ... on Error { message } } }`,
    );
    assert.equal(created.backfill.total, 4);
    await until('the backfill to end', async () => {
      const b = await t.app.backfills.get(created.backfill.id);
      return b !== undefined && b.status !== 'RUNNING';
    });
    const backfilled = await t.app.executor.list({
      originName: 'bars',
      originTypes: ['BACKFILL'],
      limit: 10,
    });
    assert.equal(backfilled.length, 4);
    const last = await lastJob('bars');
    assert.equal(last?.id, backfilled[0]!.id, 'the newest backfill job');
    assert.deepEqual(last?.origin, { type: 'BACKFILL', name: 'bars' });
  });

  it('is not moved by ad hoc jobs or another schedule’s runs', async () => {
    const before = await lastJob('bars');
    await waitForJob(t.app, (await submitSteps(t.app, [['p', 'TestRowsProducer', '']])).id);
    const other = await gql<{ runSchedule: { id: string } }>(
      t.url,
      `mutation { runSchedule(name: "other", partition: "2024-03-04") { ... on Job { id } } }`,
    );
    await waitForJob(t.app, other.runSchedule.id);
    assert.deepEqual(await lastJob('bars'), before);
    assert.equal((await lastJob('other'))?.id, other.runSchedule.id);
  });
});
