import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { PartitionTakenError } from '../../src/jobs/errors.js';
import { isFinal, type Job } from '../../src/jobs/job.js';
import { ScheduleStore } from '../../src/schedule/schedule-store.js';
import { sqlRunnerFor } from '../../src/storage/sql-runner.js';
import { waitForJob } from '../support/jobs.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { gql, post } from '../graphql/support.js';
import {
  cronSoon,
  inShanghai,
  jobsOf,
  pipeline,
  plantCalendar,
  recentDays,
  scheduleFolder,
  until,
} from './schedule-support.js';

const weekday = (day: string) => new Date(day).getUTCDay();

describe('partitioned schedules', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function start(folder: ReturnType<typeof scheduleFolder>): Promise<TestApp> {
    writeTestConfig(folder.dir, {
      server: {
        scheduledJobsDir: folder.schedules,
        schedules: { tickMs: 50, watch: false },
        maxConcurrentJobs: 4,
      },
    });
    const t = await startTestApp({ dir: folder.dir });
    cleanups.push(() => t.stop());
    return t;
  }

  it('gives lag 0 and lag 1 firings their trading day; the same partition runs once, force runs it again, the store decides a race', async () => {
    const f = scheduleFolder();
    cleanups.push(() => rmSync(f.dir, { recursive: true, force: true }));
    const t = await start(f);
    // Yesterday was closed: lag 1 reaches back over it, as over a weekend.
    const [d3, d2, d1, today] = recentDays(3) as [string, string, string, string];
    await plantCalendar(t.app, [
      { day: d3, trading: true },
      { day: d2, trading: true },
      { day: d1, trading: false },
      { day: today, trading: true },
    ]);
    // Written once the server runs, so a slow start cannot make the firing time pass unseen.
    const trigger = cronSoon(1500);
    f.write('lag0', { pipeline_structure: pipeline(), trigger, partitions: { by: 'trading_day' } });
    f.write('lag1', {
      pipeline_structure: pipeline(),
      trigger,
      partitions: { by: 'trading_day', lag: 1 },
    });
    await t.app.scheduler.reload();

    const lag0 = await until('the lag-0 firing', async () => (await jobsOf(t.app, 'lag0'))[0]);
    const lag1 = await until('the lag-1 firing', async () => (await jobsOf(t.app, 'lag1'))[0]);
    assert.equal(lag0.partition, today);
    assert.equal(lag1.partition, d2);
    assert.equal((await waitForJob(t.app, lag0.id)).status, 'FINISHED');
    const firings = await t.app.scheduler.firings('lag1', 10);
    assert.deepEqual(
      firings.map((r) => [r.outcome, r.partition, r.jobId]),
      [['SUBMITTED', d2, lag1.id]],
    );

    // Again for today: nothing runs, and the answer names the job that has it.
    await assert.rejects(
      t.app.scheduler.runNow('lag0'),
      (error: unknown) =>
        error instanceof PartitionTakenError &&
        error.holder.id === lag0.id &&
        /partition .* already has a FINISHED job .*force: true runs it again/.test(error.message),
    );
    const forced = await t.app.scheduler.runNow('lag0', { force: true });
    assert.equal(forced.partition, today);
    assert.equal((await waitForJob(t.app, forced.id)).status, 'FINISHED');
    assert.equal((await jobsOf(t.app, 'lag0')).length, 2);

    // Two submissions of one partition at once: the store's unique key lets exactly one in.
    const submit = () =>
      t.app.executor.submit(
        { document: { pipeline_structure: pipeline({ ms: 200 }) } },
        { origin: { type: 'SCHEDULE', name: 'lag0' }, partition: d3 },
      );
    const outcomes = await Promise.allSettled([submit(), submit(), submit()]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(won.length, 1);
    assert.ok(lost.every((o) => o.reason instanceof PartitionTakenError));

    // Through GraphQL: the conflict is data, naming the job.
    const answer = await gql<{ runSchedule: Record<string, unknown> }>(
      t.url,
      `mutation { runSchedule(name: "lag0", partition: "${today}") { __typename ... on PartitionTaken { jobId partition message } ... on Job { id } } }`,
    );
    assert.deepEqual(
      { ...answer.runSchedule, message: undefined },
      { __typename: 'PartitionTaken', jobId: forced.id, partition: today, message: undefined },
    );
    const closed = await gql<{ runSchedule: { __typename: string; message: string } }>(
      t.url,
      `mutation { runSchedule(name: "lag0", partition: "${d1}") { __typename ... on Error { message } } }`,
    );
    assert.equal(closed.runSchedule.__typename, 'InvalidInput');
    assert.match(closed.runSchedule.message, /is not a trading day/);
  });

  it('on a closed day takes the previous trading day, or runs nothing when the schedule says skip; an uncovered day runs nothing', async () => {
    const f = scheduleFolder();
    cleanups.push(() => rmSync(f.dir, { recursive: true, force: true }));
    const t = await start(f);
    const [d1, today] = recentDays(1) as [string, string];
    // Today is a holiday.
    await plantCalendar(t.app, [
      { day: d1, trading: true },
      { day: today, trading: false },
    ]);
    const trigger = cronSoon(1500);
    f.write('previous', {
      pipeline_structure: pipeline(),
      trigger,
      partitions: { by: 'trading_day' },
    });
    f.write('skip', {
      pipeline_structure: pipeline(),
      trigger,
      partitions: { by: 'trading_day', non_trading_day: 'skip' },
    });
    await t.app.scheduler.reload();
    const job = await until('the firing', async () => (await jobsOf(t.app, 'previous'))[0]);
    assert.equal(job.partition, d1);
    const skipped = await until('the skipped firing', async () =>
      (await t.app.scheduler.firings('skip', 10)).find((r) => r.outcome === 'SKIPPED'),
    );
    assert.match(skipped.reason!, new RegExp(`${today} is not a trading day`));
    assert.deepEqual(await jobsOf(t.app, 'skip'), []);

    // A second app whose stored calendar is empty: the firing is recorded with the reason.
    const g = scheduleFolder();
    cleanups.push(() => rmSync(g.dir, { recursive: true, force: true }));
    const u = await start(g);
    g.write('uncovered', {
      pipeline_structure: pipeline(),
      trigger: cronSoon(1500),
      partitions: { by: 'trading_day' },
    });
    await u.app.scheduler.reload();
    const none = await until(
      'the uncovered firing',
      async () => (await u.app.scheduler.firings('uncovered', 10))[0],
    );
    assert.equal(none.outcome, 'SKIPPED');
    assert.match(none.reason!, /the stored trading calendar does not cover/);
    assert.deepEqual(await jobsOf(u.app, 'uncovered'), []);
    assert.ok(u.logs.some((l) => /schedule \\"uncovered\\" ran nothing/.test(l)));
  });

  it('after 10 calendar days down catches up exactly the missed trading days, once each, in order, capped by max_catchup', async () => {
    const f = scheduleFolder();
    cleanups.push(() => rmSync(f.dir, { recursive: true, force: true }));
    const now = Date.now();
    const lastFired = new Date(Math.floor((now - 10 * 86_400_000 - 10_000) / 1000) * 1000);
    const daily = {
      type: 'interval',
      arguments: { days: 1, start_date: inShanghai(lastFired).toFormat('yyyy-MM-dd HH:mm:ss') },
    };
    const days = recentDays(14).map((day) => ({ day, trading: ![0, 6].includes(weekday(day)) }));
    const trading = days.filter((d) => d.trading).map((d) => d.day);
    const lastDay = inShanghai(lastFired).toISODate()!;
    const lastFinished = trading.findLast((d) => d <= lastDay)!;
    const today = days.at(-1)!.day;
    const current = trading.findLast((d) => d <= today)!;
    const missed = trading.filter((d) => d > lastFinished && d <= current);
    assert.ok(missed.length >= 6, `a 10-day gap holds at least 6 trading days: ${missed.join()}`);

    // The first life: the calendar, one finished partition and the firing it came from.
    writeTestConfig(f.dir, {});
    const seed = await startTestApp({ dir: f.dir });
    await plantCalendar(seed.app, days);
    const store = new ScheduleStore(sqlRunnerFor(seed.app.targets.control()));
    for (const name of ['daily', 'capped']) {
      assert.ok(await store.claimFiring(name, lastFired, 'SUBMITTED'));
      const job: Job = {
        id: `01J0000000000000000000${name === 'daily' ? '0001' : '0002'}`,
        status: 'FINISHED',
        spec: { steps: [] },
        origin: { type: 'SCHEDULE', name },
        submittedAt: lastFired,
        startedAt: lastFired,
        finishedAt: lastFired,
        error: null,
        steps: [],
        retryOf: null,
        timeoutMs: null,
        logCount: 0,
        idempotencyKey: null,
        partition: lastFinished,
      };
      assert.equal(await seed.app.store.insert(job), 'inserted');
    }
    await seed.stop();

    f.write('daily', {
      pipeline_structure: pipeline({ ms: 30 }),
      trigger: daily,
      partitions: { by: 'trading_day' },
    });
    f.write('capped', {
      pipeline_structure: pipeline({ ms: 30 }),
      trigger: daily,
      partitions: { by: 'trading_day', max_catchup: 3 },
    });
    const t = await start(f);
    const ran = async (name: string, count: number) =>
      until(`${count} catch-up jobs of ${name}`, async () => {
        const jobs = (await jobsOf(t.app, name)).slice(1).filter((j) => isFinal(j.status));
        return jobs.length >= count && jobs;
      });
    const dailyJobs = await ran('daily', missed.length);
    const cappedJobs = await ran('capped', 3);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      (await jobsOf(t.app, 'daily')).slice(1).map((j) => j.partition),
      missed,
      'every missed trading day once, oldest first',
    );
    assert.ok(dailyJobs.every((j) => j.status === 'FINISHED'));
    for (let i = 1; i < dailyJobs.length; i++)
      assert.ok(dailyJobs[i]!.startedAt! >= dailyJobs[i - 1]!.finishedAt!, 'one after another');
    assert.deepEqual(
      (await jobsOf(t.app, 'capped')).slice(1).map((j) => j.partition),
      missed.slice(-3),
    );
    assert.equal(cappedJobs.length, 3);
    assert.ok(
      t.logs.some((l) => /older one\(s\) from .* are left to a backfill/.test(l)),
      'the cut is logged',
    );
  });
});

describe('a job’s partition', () => {
  it('is given to submitJob, shown as Job.partition and seen by components as context.partition', async () => {
    const t = await startTestApp({});
    try {
      const answer = await gql<{ submitJob: { id: string; partition: string | null } }>(
        t.url,
        `mutation { submitJob(partition: "2024-05-06", input: { steps: [{ name: "p", componentClassName: "TestPartitionProducer" }] }) { ... on Job { id partition } } }`,
      );
      assert.equal(answer.submitJob.partition, '2024-05-06');
      const job = await waitForJob(t.app, answer.submitJob.id);
      assert.deepEqual(job.steps[0]!.result, { partition: '2024-05-06' });
      const adhoc = await gql<{ submitJob: { id: string; partition: string | null } }>(
        t.url,
        `mutation { submitJob(input: { steps: [{ name: "p", componentClassName: "TestPartitionProducer" }] }) { ... on Job { id partition } } }`,
      );
      assert.equal(adhoc.submitJob.partition, null);
      assert.deepEqual((await waitForJob(t.app, adhoc.submitJob.id)).steps[0]!.result, {
        partition: null,
      });
      const bad = await post(
        t.url,
        `mutation { submitJob(partition: "2024-02-30", input: { steps: [{ name: "p", componentClassName: "TestPartitionProducer" }] }) { ... on Job { id } } }`,
      );
      assert.match(JSON.stringify(bad.body.errors), /2024-02-30/);
    } finally {
      await t.destroy();
    }
  });
});
