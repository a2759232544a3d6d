import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForJob } from '../support/jobs.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { gql, post } from './support.js';

describe('schedules and trade days over GraphQL', () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fda-graphql-schedules-'));
    const schedules = join(dir, 'scheduled-jobs');
    mkdirSync(schedules);
    writeFileSync(
      join(schedules, 'trade-days.json'),
      JSON.stringify({
        pipeline_structure: {
          producer_0: {
            component_class_name: 'BaoStockTradeDayProducer',
            pre_component_name: '',
            component_arguments: { source: 'offline', from: '2024-01-01', to: '2024-12-31' },
          },
          processor_0: {
            component_class_name: 'BaoStockTradeDayProcessor',
            pre_component_name: 'producer_0',
            component_arguments: {},
          },
          storager_0: {
            component_class_name: 'BaoStockTradeDayStorager',
            pre_component_name: 'processor_0',
            component_arguments: {},
          },
        },
        trigger: {
          type: 'cron',
          arguments: {
            second: '0',
            minute: '0',
            hour: '9',
            day: '*',
            month: '*',
            day_of_week: 'mon-fri',
          },
        },
      }),
    );
    writeFileSync(
      join(schedules, 'broken.json'),
      JSON.stringify({
        pipeline_structure: {},
        trigger: { type: 'cron', arguments: { hour: '25' } },
      }),
    );
    writeTestConfig(dir, { server: { scheduledJobsDir: schedules } });
    t = await startTestApp({ dir });
  });
  after(async () => {
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists schedules with trigger, time zone, next firings and errors', async () => {
    const data = await gql<{ schedules: Array<Record<string, unknown>> }>(
      t.url,
      `{ schedules { name file enabled paused error timeZone nextRunAt nextRunTimes(count: 3)
          trigger { type description timeZone definition } options { maxInstances coalesce misfireGraceSeconds } lastJob { id } } }`,
    );
    const [broken, daily] = data.schedules;
    assert.equal(broken!.name, 'broken');
    assert.match(broken!.error as string, /trigger\.arguments\.hour/);
    assert.equal(broken!.trigger, null);
    assert.equal(daily!.name, 'trade-days');
    assert.equal(daily!.error, null);
    assert.equal(daily!.timeZone, 'Asia/Shanghai');
    assert.equal((daily!.trigger as { type: string }).type, 'cron');
    assert.deepEqual(daily!.options, {
      maxInstances: 1,
      coalesce: true,
      misfireGraceSeconds: 3600,
    });
    const times = daily!.nextRunTimes as string[];
    assert.equal(times.length, 3);
    assert.equal(times[0], daily!.nextRunAt);
    for (const time of times) {
      // 09:00 in Shanghai is 01:00 UTC, on a weekday there.
      assert.match(time, /T01:00:00\.000Z$/);
      assert.ok(![0, 6].includes(new Date(Date.parse(time) + 8 * 3_600_000).getUTCDay()));
    }
  });

  it('runs, pauses and resumes a schedule; unknown names are NotFound data', async () => {
    const run = await gql<{
      runSchedule: { __typename: string; id: string; origin: { type: string; name: string } };
    }>(
      t.url,
      `mutation { runSchedule(name: "trade-days") { __typename ... on Job { id origin { type name } } ... on Error { message } } }`,
    );
    assert.equal(run.runSchedule.__typename, 'Job');
    assert.deepEqual(run.runSchedule.origin, { type: 'SCHEDULE', name: 'trade-days' });
    assert.equal((await waitForJob(t.app, run.runSchedule.id)).status, 'FINISHED');
    const last = await gql<{ schedule: { lastJob: { id: string; status: string } } }>(
      t.url,
      `{ schedule(name: "trade-days") { lastJob { id status } } }`,
    );
    assert.deepEqual(last.schedule.lastJob, { id: run.runSchedule.id, status: 'FINISHED' });
    // A retry of the schedule's job is told apart by its origin, and becomes its last job.
    const retried = await gql<{
      retryJob: { id: string; retryOf: string; origin: { type: string; name: string } };
    }>(
      t.url,
      `mutation($id: ID!) { retryJob(id: $id) { ... on Job { id retryOf origin { type name } } } }`,
      {
        id: run.runSchedule.id,
      },
    );
    assert.deepEqual(retried.retryJob.origin, { type: 'RETRY', name: 'trade-days' });
    assert.equal(retried.retryJob.retryOf, run.runSchedule.id);
    await waitForJob(t.app, retried.retryJob.id);
    const nowLast = await gql<{ schedule: { lastJob: { id: string } } }>(
      t.url,
      `{ schedule(name: "trade-days") { lastJob { id } } }`,
    );
    assert.equal(nowLast.schedule.lastJob.id, retried.retryJob.id);

    const paused = await gql<{ pauseSchedule: { paused: boolean; nextRunAt: string | null } }>(
      t.url,
      `mutation { pauseSchedule(name: "trade-days") { ... on Schedule { paused nextRunAt } } }`,
    );
    assert.deepEqual(paused.pauseSchedule, { paused: true, nextRunAt: null });
    const resumed = await gql<{ resumeSchedule: { paused: boolean; nextRunAt: string | null } }>(
      t.url,
      `mutation { resumeSchedule(name: "trade-days") { ... on Schedule { paused nextRunAt } } }`,
    );
    assert.equal(resumed.resumeSchedule.paused, false);
    assert.ok(resumed.resumeSchedule.nextRunAt);

    const missing = await gql<{ runSchedule: { __typename: string; message: string } }>(
      t.url,
      `mutation { runSchedule(name: "nope") { __typename ... on Error { message } } }`,
    );
    assert.deepEqual(missing.runSchedule, {
      __typename: 'NotFound',
      message: 'no schedule named "nope"',
    });
    const invalid = await gql<{ runSchedule: { __typename: string; message: string } }>(
      t.url,
      `mutation { runSchedule(name: "broken") { __typename ... on Error { message } } }`,
    );
    assert.equal(invalid.runSchedule.__typename, 'Conflict');

    const reload = await gql<{
      reloadSchedules: { added: string[]; removed: string[]; schedules: Array<{ name: string }> };
    }>(t.url, `mutation { reloadSchedules { added removed schedules { name } } }`);
    assert.deepEqual(reload.reloadSchedules, {
      added: [],
      removed: [],
      schedules: [{ name: 'broken' }, { name: 'trade-days' }],
    });
  });

  // Reads the 2024 days that the schedule run above stored.
  it('answers trading-day questions from the stored calendar and shows the offline coverage', async () => {
    const data = await gql<Record<string, unknown>>(
      t.url,
      `{ tradeDays(from: "2024-02-07", to: "2024-02-19") { date isTradingDay source }
         closed: isTradingDay(date: "2024-02-09") open: isTradingDay(date: "2024-02-08") unknown: isTradingDay(date: "1999-01-04")
         nextTradingDay(date: "2024-02-08") previousTradingDay(date: "2024-02-19")
         offlineCalendar { coveredFrom coveredTo warning } }`,
    );
    const days = data.tradeDays as Array<{ date: string; isTradingDay: boolean; source: string }>;
    assert.equal(days.length, 13);
    assert.deepEqual(
      days.filter((d) => d.isTradingDay).map((d) => d.date),
      ['2024-02-07', '2024-02-08', '2024-02-19'],
    );
    assert.deepEqual([data.closed, data.open, data.unknown], [false, true, null]);
    assert.equal(data.nextTradingDay, '2024-02-19');
    assert.equal(data.previousTradingDay, '2024-02-08');
    assert.equal((data.offlineCalendar as { coveredFrom: string }).coveredFrom, '2004-01-01');

    const bad = await post(
      t.url,
      `{ a: tradeDays(from: "2024-02-30", to: "2024-03-01") { date } }`,
    );
    assert.match(JSON.stringify(bad.body.errors), /2024-02-30/);
    const reversed = await post(
      t.url,
      `{ tradeDays(from: "2024-03-01", to: "2024-02-01") { date } }`,
    );
    assert.match(
      JSON.stringify(reversed.body.errors),
      /to \(2024-02-01\) is before from \(2024-03-01\)/,
    );
    const unknownTarget = await post(
      t.url,
      `{ tradeDays(from: "2024-03-01", to: "2024-03-02", target: "nowhere") { date } }`,
    );
    assert.match(JSON.stringify(unknownTarget.body.errors), /no target named \\"nowhere\\"/);
  });
});
