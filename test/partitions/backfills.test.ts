import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PartitionTakenError } from '../../src/jobs/errors.js';
import { isFinal, type Job } from '../../src/jobs/job.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { waitForJob } from '../support/jobs.js';
import { probe } from '../support/probe.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { collect, connectWs, gql } from '../graphql/support.js';
import { spring2024, tradingDaysOf } from './support.js';
import {
  NEVER,
  jobsOf,
  pipeline,
  plantCalendar,
  scheduleFolder,
  until,
} from './schedule-support.js';

const calendar = tradingDaysOf('2024-01-01', '2024-06-30', spring2024);
const tradingIn = (from: string, to: string) =>
  calendar.days.filter((d) => d.trading && d.day >= from && d.day <= to).map((d) => d.day);

describe('backfills, on a MySQL control store', { skip: await mysqlSkipReason() }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const folder = scheduleFolder();
  let t: TestApp;
  const start = async () => {
    t = await startTestApp({ dir: folder.dir });
    return t;
  };

  before(async () => {
    db = await createTestDatabase('backfill');
    folder.write('bars', {
      pipeline_structure: pipeline({ ms: 40, probe: 'backfill-bars' }),
      trigger: NEVER,
      partitions: { by: 'trading_day' },
    });
    folder.write('slow', {
      pipeline_structure: pipeline({ ms: 400, probe: 'backfill-slow' }),
      trigger: NEVER,
      partitions: { by: 'trading_day' },
    });
    folder.write('plain', { pipeline_structure: pipeline(), trigger: NEVER });
    writeTestConfig(folder.dir, {
      server: {
        scheduledJobsDir: folder.schedules,
        schedules: { tickMs: 50, watch: false },
        maxConcurrentJobs: 4,
      },
      storage: { control: 'c', mysql: { c: { ...mysqlTestServer(), database: db.name } } },
    });
    await start();
    await plantCalendar(t.app, calendar.days);
  });
  after(async () => {
    await t?.stop();
    await db?.drop();
    rmSync(folder.dir, { recursive: true, force: true });
  });

  it('runs one job per trading day not yet done over three months, never more than maxConcurrent at once, across a restart', async () => {
    const from = '2024-01-02';
    const to = '2024-03-29';
    const days = tradingIn(from, to);
    // Three days are already done: the backfill leaves them alone.
    const done: Job[] = [];
    for (const partition of [days[0]!, days[10]!, days.at(-1)!]) {
      const job = await t.app.scheduler.runNow('bars', { partition });
      done.push(await waitForJob(t.app, job.id));
    }
    assert.ok(done.every((j) => j.status === 'FINISHED'));
    const p = probe('backfill-bars');
    p.maxRunning = 0;

    const backfill = await t.app.backfills.create({ schedule: 'bars', from, to, maxConcurrent: 2 });
    assert.equal(backfill.partitions.length, days.length);
    // Restart once about a third of it is done.
    await until('a third of the backfill', async () => {
      const counts = await t.app.backfills.counts((await t.app.backfills.get(backfill.id))!);
      return counts.done >= days.length / 3;
    });
    await t.stop();
    await start();
    assert.equal((await t.app.backfills.get(backfill.id))!.status, 'RUNNING', 'resumed');
    const ended = await until(
      'the backfill to end',
      async () => {
        const b = await t.app.backfills.get(backfill.id);
        return b && b.status !== 'RUNNING' && b;
      },
      60_000,
    );
    assert.equal(ended.status, 'FINISHED', ended.error ?? '');
    assert.ok(p.maxRunning <= 2, `at most 2 at once, saw ${p.maxRunning}`);
    assert.equal(p.maxRunning, 2, 'it did use both slots');

    const jobs = (await jobsOf(t.app, 'bars')).filter(
      (j) => j.partition! >= from && j.partition! <= to,
    );
    const finished = jobs.filter((j) => j.status === 'FINISHED');
    assert.deepEqual(
      finished.map((j) => j.partition).sort(),
      days,
      'exactly one finished run per trading day',
    );
    const backfilled = finished.filter((j) => j.origin.type === 'BACKFILL');
    assert.equal(backfilled.length, days.length - 3, 'no job for the days already done');
    // Runs the restart interrupted ended CANCELLED and were run again; nothing else ran twice.
    assert.ok(jobs.every((j) => j.status === 'FINISHED' || j.status === 'CANCELLED'));
    const counts = await t.app.backfills.counts(ended);
    assert.deepEqual(
      { done: counts.done, failed: counts.failed, total: counts.total },
      { done: days.length, failed: 0, total: days.length },
    );

    const filtered = await gql<{
      jobs: { nodes: Array<{ partition: string; origin: { type: string } }> };
    }>(
      t.url,
      `{ jobs(partition: "${days[5]}", originType: [BACKFILL], first: 10) { nodes { partition origin { type } } } }`,
    );
    assert.ok(filtered.jobs.nodes.length >= 1);
    assert.ok(
      filtered.jobs.nodes.every((j) => j.partition === days[5] && j.origin.type === 'BACKFILL'),
    );

    // The heat map's query: each day's status; a day outside the backfill is MISSING.
    const answer = await gql<{
      partitions: Array<{ partition: string; status: string; job: { id: string } | null }>;
    }>(
      t.url,
      `{ partitions(schedule: "bars", from: "2024-03-25", to: "2024-04-03") { partition status job { id } } }`,
    );
    assert.deepEqual(
      answer.partitions.map((e) => [e.partition, e.status]),
      tradingIn('2024-03-25', '2024-04-03').map((d) => [d, d <= to ? 'FINISHED' : 'MISSING']),
    );
  });

  it('lets one of concurrent submissions of a partition in, by the unique key of MySQL', async () => {
    const submit = () =>
      t.app.executor.submit(
        { document: { pipeline_structure: pipeline({ ms: 100 }) } },
        { origin: { type: 'SCHEDULE', name: 'bars' }, partition: '2024-05-06' },
      );
    const outcomes = await Promise.allSettled([submit(), submit(), submit(), submit()]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    assert.ok(
      outcomes.every((o) => o.status === 'fulfilled' || o.reason instanceof PartitionTakenError),
    );
  });

  it('streams its progress, and cancelBackfill ends it: the waiting runs cancelled, the running one signalled', async () => {
    const created = await gql<{ backfill: { id: string; total: number; status: string } }>(
      t.url,
      `mutation { backfill(schedule: "slow", from: "2024-06-03", to: "2024-06-28", maxConcurrent: 1) { ... on Backfill { id total status } ... on Error { message } } }`,
    );
    const { id, total } = created.backfill;
    assert.equal(total, tradingIn('2024-06-03', '2024-06-28').length);
    const ws = connectWs(t.url);
    let subscribed!: () => void;
    const firstEvent = new Promise<void>((resolve) => (subscribed = resolve));
    const progress = collect<{
      backfillProgress: { done: number; running: number; backfill: { status: string } };
    }>(
      ws,
      `subscription($id: ID!) { backfillProgress(id: $id) { done running backfill { status } } }`,
      { id },
      () => subscribed(),
    );
    await firstEvent;
    await until('a running partition', async () => {
      const b = await t.app.backfills.get(id);
      return b !== undefined && (await t.app.backfills.counts(b)).running === 1;
    });
    const cancelled = await gql<{
      cancelBackfill: { status: string; jobs: Array<{ status: string }> };
    }>(
      t.url,
      `mutation { cancelBackfill(id: "${id}") { ... on Backfill { status jobs { status } } } }`,
    );
    assert.equal(cancelled.cancelBackfill.status, 'CANCELLED');
    assert.ok(cancelled.cancelBackfill.jobs.every((j) => isFinal(j.status as Job['status'])));
    assert.ok(cancelled.cancelBackfill.jobs.length <= 2);
    const { results, error } = await progress;
    await ws.close();
    assert.equal(error, undefined);
    assert.equal(results[0]!.data!.backfillProgress.backfill.status, 'RUNNING');
    assert.equal(results.at(-1)!.data!.backfillProgress.backfill.status, 'CANCELLED');
    await new Promise((r) => setTimeout(r, 600));
    const after = (await jobsOf(t.app, 'slow')).length;
    assert.equal(after, cancelled.cancelBackfill.jobs.length, 'nothing submitted after the cancel');

    const refused = await gql<{ backfill: { __typename: string; message: string } }>(
      t.url,
      `mutation { backfill(schedule: "plain", from: "2024-06-03", to: "2024-06-28") { __typename ... on Error { message } } }`,
    );
    assert.equal(refused.backfill.__typename, 'InvalidInput');
    assert.match(refused.backfill.message, /has no partitions/);
    const uncovered = await gql<{ backfill: { message: string } }>(
      t.url,
      `mutation { backfill(schedule: "bars", from: "2024-06-03", to: "2024-07-31") { ... on Error { message } } }`,
    );
    assert.match(uncovered.backfill.message, /covers 2024-01-01 to 2024-06-30, not all of/);
  });
});
