import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { isFinal, type Job } from '../../src/jobs/job.js';
import { ScheduleStore } from '../../src/schedule/schedule-store.js';
import { sqlRunnerFor } from '../../src/storage/sql-runner.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import type { App } from '../../src/app/build-app.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { waitForJob } from '../support/jobs.js';

const pipeline = (args: Record<string, unknown> = {}) => ({
  producer_0: {
    component_class_name: 'TestRowsProducer',
    pre_component_name: '',
    component_arguments: args,
  },
});

function scheduleDir(): {
  dir: string;
  schedules: string;
  write(name: string, content: unknown): void;
  remove(name: string): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'fda-schedules-'));
  const schedules = join(dir, 'scheduled-jobs');
  mkdirSync(schedules);
  return {
    dir,
    schedules,
    write: (name, content) =>
      writeFileSync(
        join(schedules, `${name}.json`),
        typeof content === 'string' ? content : JSON.stringify(content),
      ),
    remove: (name) => unlinkSync(join(schedules, `${name}.json`)),
  };
}

async function start(
  dir: string,
  schedules: string,
  extra: Record<string, unknown> = {},
): Promise<TestApp> {
  writeTestConfig(dir, {
    server: { scheduledJobsDir: schedules, schedules: { tickMs: 50, watch: true }, ...extra },
  });
  return startTestApp({ dir });
}

/** Jobs of a schedule, oldest first. */
async function jobsOf(app: App, name: string): Promise<Job[]> {
  return (await app.executor.list({ originName: name, limit: 1000 })).reverse();
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const inShanghai = (date: Date) => DateTime.fromJSDate(date).setZone('Asia/Shanghai');

describe('the scheduler', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('fires an every-second schedule, never overlapping a slow job, and lists a broken file with its error', async () => {
    const s = scheduleDir();
    cleanups.push(() => rmSync(s.dir, { recursive: true, force: true }));
    s.write('every-second', {
      pipeline_structure: pipeline(),
      trigger: { type: 'cron', arguments: { second: '*' } },
    });
    s.write('slow', {
      pipeline_structure: pipeline({ ms: 1800 }),
      trigger: { type: 'interval', arguments: { seconds: 1 } },
    });
    s.write('broken', '{ "pipeline_structure": ');
    s.write('bad-trigger', {
      pipeline_structure: pipeline(),
      trigger: { type: 'cron', arguments: { day_of_week: 'funday' } },
    });
    const t = await start(s.dir, s.schedules);
    cleanups.push(() => t.stop());

    const fired = await until('three every-second jobs', async () => {
      const jobs = (await jobsOf(t.app, 'every-second')).filter((j) => isFinal(j.status));
      return jobs.length >= 3 && jobs;
    });
    assert.ok(fired.every((j) => j.status === 'FINISHED' && j.origin.type === 'SCHEDULE'));
    const gaps = fired
      .slice(1)
      .map((j, i) => j.submittedAt.getTime() - fired[i]!.submittedAt.getTime());
    assert.ok(
      gaps.every((g) => g >= 500),
      `every-second jobs came ${gaps.join(', ')} ms apart`,
    );

    const slow = await until('two slow jobs', async () => {
      const jobs = (await jobsOf(t.app, 'slow')).filter((j) => isFinal(j.status));
      return jobs.length >= 2 && jobs;
    });
    for (let i = 1; i < slow.length; i++)
      assert.ok(
        slow[i]!.startedAt! >= slow[i - 1]!.finishedAt!,
        'two jobs of the slow schedule overlapped',
      );
    assert.ok(
      t.logs.some((l) => l.includes('schedule \\"slow\\" skipped a firing')),
      'the skipped firing is logged',
    );

    const views = Object.fromEntries(t.app.scheduler.list().map((v) => [v.name, v]));
    assert.match(views.broken!.schedule.error ?? '', /not valid JSON/);
    assert.match(views['bad-trigger']!.schedule.error ?? '', /trigger\.arguments\.day_of_week/);
    assert.equal(views.broken!.nextRunTime, null);
    assert.deepEqual(await jobsOf(t.app, 'broken'), []);
  });

  it('picks up a file added while running, and forgets a removed one', async () => {
    const s = scheduleDir();
    cleanups.push(() => rmSync(s.dir, { recursive: true, force: true }));
    const t = await start(s.dir, s.schedules);
    cleanups.push(() => t.stop());
    assert.deepEqual(t.app.scheduler.list(), []);
    s.write('late', {
      pipeline_structure: pipeline(),
      trigger: { type: 'cron', arguments: { second: '*' } },
    });
    const job = await until(
      'a job of the added schedule',
      async () => (await jobsOf(t.app, 'late'))[0],
    );
    assert.equal((await waitForJob(t.app, job.id)).status, 'FINISHED');
    s.remove('late');
    await until('the schedule to be gone', () =>
      Promise.resolve(t.app.scheduler.list().length === 0),
    );
  });

  it('catches a firing missed while the server was down up once, within the grace time only', async () => {
    const s = scheduleDir();
    cleanups.push(() => rmSync(s.dir, { recursive: true, force: true }));
    // Hourly schedules whose last stored firing was 3 hours and 10 seconds ago: three firings
    // were missed while "the server was down", the latest 10 s ago.
    const now = Date.now();
    const lastFired = new Date(now - 3 * 3_600_000 - 10_000);
    const hourly = {
      type: 'interval',
      arguments: { hours: 1, start_date: inShanghai(lastFired).toFormat('yyyy-MM-dd HH:mm:ss') },
    };
    s.write('coalesced', { pipeline_structure: pipeline(), trigger: hourly });
    // A 4-hour grace lets each of the three missed firings run, one job after another.
    s.write('each', {
      pipeline_structure: pipeline(),
      trigger: hourly,
      coalesce: false,
      misfire_grace_time: 4 * 3600,
    });
    s.write('strict', { pipeline_structure: pipeline(), trigger: hourly, misfire_grace_time: 5 });
    writeTestConfig(s.dir, {});
    const first = await startTestApp({ dir: s.dir });
    const store = new ScheduleStore(sqlRunnerFor(first.app.targets.control()));
    const firedAt = new Date(Math.floor(lastFired.getTime() / 1000) * 1000);
    for (const name of ['coalesced', 'each', 'strict'])
      assert.ok(await store.claimFiring(name, firedAt, 'SUBMITTED'));
    await first.stop();

    const t = await start(s.dir, s.schedules);
    cleanups.push(() => t.stop());
    const coalesced = await until(
      'the catch-up job',
      async () => (await jobsOf(t.app, 'coalesced'))[0],
    );
    assert.equal((await waitForJob(t.app, coalesced.id)).status, 'FINISHED');
    const each = await until('three catch-up jobs, one after another', async () => {
      const jobs = (await jobsOf(t.app, 'each')).filter((j) => isFinal(j.status));
      return jobs.length === 3 && jobs;
    });
    assert.ok(each.every((j) => j.status === 'FINISHED'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await jobsOf(t.app, 'coalesced')).length, 1, 'coalesced: the backlog ran once');
    assert.deepEqual(await jobsOf(t.app, 'strict'), [], 'outside the grace time: not run');
    assert.ok(
      t.logs.some((l) =>
        /run time of schedule \\"strict\\" was missed by \d+ s \(grace 5 s\)/.test(l),
      ),
    );
    // The next firing is an hour after the last one, not another catch-up.
    const next = t.app.scheduler.get('coalesced').nextRunTime!;
    assert.ok(next.getTime() > Date.now() + 3_000_000);
  });

  it('runs a schedule on demand, and keeps a pause across a restart', async () => {
    const s = scheduleDir();
    cleanups.push(() => rmSync(s.dir, { recursive: true, force: true }));
    s.write('daily', {
      pipeline_structure: pipeline(),
      trigger: { type: 'cron', arguments: { hour: '9', minute: '0', second: '0' } },
    });
    let t = await start(s.dir, s.schedules);
    const upcoming = await t.app.scheduler.upcoming('daily', 5);
    assert.equal(upcoming.length, 5);
    assert.ok(upcoming.every((d) => inShanghai(d).toFormat('HH:mm:ss') === '09:00:00'));
    const job = await t.app.scheduler.runNow('daily');
    assert.deepEqual(job.origin, { type: 'SCHEDULE', name: 'daily' });
    assert.equal((await waitForJob(t.app, job.id)).status, 'FINISHED');
    await t.app.scheduler.pause('daily');
    await t.stop();
    t = await start(s.dir, s.schedules);
    cleanups.push(() => t.stop());
    assert.equal(t.app.scheduler.get('daily').paused, true);
    assert.equal(t.app.scheduler.get('daily').nextRunTime, null);
    const resumed = await t.app.scheduler.resume('daily');
    assert.equal(resumed.paused, false);
    assert.deepEqual(resumed.nextRunTime, upcoming[0]);
    await assert.rejects(t.app.scheduler.runNow('nope'), /no schedule named "nope"/);
  });

  it('fires a trading_day schedule on a trading day and not on a closed one, by the stored calendar', async () => {
    const s = scheduleDir();
    cleanups.push(() => rmSync(s.dir, { recursive: true, force: true }));
    const soon = inShanghai(new Date(Date.now() + 2500));
    const at = { hour: soon.hour, minute: soon.minute, second: soon.second };
    s.write('on-trading-days', {
      pipeline_structure: pipeline(),
      trigger: { type: 'trading_day', arguments: at },
    });
    s.write('on-closed-days', {
      pipeline_structure: pipeline(),
      trigger: { type: 'trading_day', arguments: { ...at, offset_days: 1 } },
    });
    // Today trades; yesterday was closed: "offset 1" fires on days after a trading day, so not today.
    writeTestConfig(s.dir, {});
    const seed = await startTestApp({ dir: s.dir });
    const today = soon.toISODate()!;
    const yesterday = soon.minus({ days: 1 }).toISODate()!;
    const results = await upsertRows([seed.app.targets.control()], tradeDayTable, [
      { calendarDate: yesterday, isTradingDay: false, source: 'test' },
      { calendarDate: today, isTradingDay: true, source: 'test' },
    ]);
    assert.ok(results.every((r) => r.ok));
    await seed.stop();

    const t = await start(s.dir, s.schedules);
    cleanups.push(() => t.stop());
    const next = t.app.scheduler.get('on-closed-days').nextRunTime;
    assert.ok(
      next === null || inShanghai(next).toISODate()! > today,
      'a day after a closed day does not fire',
    );
    const job = await until(
      'the trading-day job',
      async () => (await jobsOf(t.app, 'on-trading-days'))[0],
    );
    assert.equal((await waitForJob(t.app, job.id)).status, 'FINISHED');
    assert.deepEqual(await jobsOf(t.app, 'on-closed-days'), []);
  });
});
