import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { loadAppConfig } from '../../src/app/config.js';
import { ConfigError } from '../../src/errors.js';
import type { Job } from '../../src/jobs/job.js';
import { parseTrigger, upcomingFireTimes } from '../../src/schedule/triggers/index.js';
import {
  createOfflineCalendar,
  exchangeClosuresSchema,
  loadChineseDaysHolidays,
} from '../../src/sources/offline-calendar/index.js';
import { TradeDayQueries } from '../../src/storage/trade-day-queries.js';
import { gql, until } from '../graphql/support.js';
import { waitForJob } from '../support/jobs.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { startServerProcess } from '../support/server-process.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import {
  closuresFile2027,
  TEST_CLOSURES_2027,
  TEST_NOTICE_2027,
  writeClosuresFile,
} from './test-closures.js';

const skip = await mysqlSkipReason();
const holidays = loadChineseDaysHolidays();
const today = () => DateTime.now().setZone('Asia/Shanghai').toISODate()!;
/** The December warning the package alone gives today, and the one package + file give. */
const packageWarning = () => createOfflineCalendar(holidays).coverageWarning(today());
const fileWarning = () =>
  createOfflineCalendar(holidays, exchangeClosuresSchema.parse(closuresFile2027())).coverageWarning(
    today(),
  );

/** Refill jobs (STARTUP jobs named `refill …`), oldest first. */
async function refillJobs(t: TestApp): Promise<Job[]> {
  const jobs = await t.app.executor.list({ limit: 100 });
  return jobs
    .filter((j) => j.origin.type === 'STARTUP' && j.origin.name?.startsWith('refill '))
    .reverse();
}

const logged = (t: TestApp, pattern: RegExp) =>
  t.logs.some((line) => pattern.test((JSON.parse(line) as { msg: string }).msg));

describe('reloading the exchange closures file while the server runs', { skip }, () => {
  let t: TestApp;
  let db: { name: string; drop(): Promise<void> };
  let dir: string;

  before(async () => {
    db = await createTestDatabase('closures');
    const server = mysqlTestServer();
    dir = mkdtempSync(join(tmpdir(), 'fda-closures-reload-'));
    writeTestConfig(dir, {
      server: {
        fillEmptyCalendarOnStart: true,
        exchangeClosures: { file: 'exchange-closures.json' },
      },
      storage: {
        control: 'local',
        sqlite: { local: { file: 'control.sqlite' } },
        mysql: {
          replica: {
            host: server.host,
            port: server.port,
            user: server.user,
            password: server.password,
            database: db.name,
          },
        },
      },
    });
    writeClosuresFile(dir, { years: {} });
    t = await startTestApp({ dir });
    const [fill] = await t.app.executor.list({ limit: 5 });
    assert.equal(fill?.origin.name, 'fill empty trading calendar');
    assert.equal((await waitForJob(t.app, fill.id)).status, 'FINISHED');
  });
  after(async () => {
    await t?.destroy();
    await db?.drop();
  });

  it('a reload that adds 2027 refills that year on every target through a job; coverage, source and /health follow; the warning stops', async () => {
    const before = await gql<{ offlineCalendar: Record<string, unknown> }>(
      t.url,
      `{ offlineCalendar { coveredTo coveredBy packageCoveredTo warning closuresFile { years { year } } } }`,
    );
    assert.deepEqual(before.offlineCalendar, {
      coveredTo: '2026-12-31',
      coveredBy: 'PACKAGE',
      packageCoveredTo: '2026-12-31',
      warning: packageWarning(),
      closuresFile: { years: [] },
    });
    if (today() >= '2026-12-01' && today() <= '2027-11-30') {
      assert.ok(packageWarning(), 'in December 2026 the package alone warns');
      assert.equal(fileWarning(), null, 'and with 2027 from the file it does not');
    }

    writeClosuresFile(dir, closuresFile2027());
    await until(async () => (await refillJobs(t)).length === 1, 'the refill job', 20_000);
    const [refill] = await refillJobs(t);
    assert.equal(
      refill!.origin.name,
      'refill 2027-01-01..2027-12-31 (exchange closures file reloaded)',
    );
    const done = await waitForJob(t.app, refill!.id);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    assert.ok(
      logged(
        t,
        /exchange closures file reloaded: the offline calendar covers 2004-01-01 to 2027-12-31/,
      ),
    );

    for (const target of t.app.targets.list()) {
      const days = await new TradeDayQueries(target).between('2027-01-01', '2027-12-31');
      assert.equal(days.length, 365, target.name);
      const closed = new Set(days.filter((d) => !d.isTradingDay).map((d) => d.calendarDate));
      for (const date of TEST_CLOSURES_2027) assert.ok(closed.has(date), `${target.name} ${date}`);
      assert.equal(days.filter((d) => d.isTradingDay).length, 261 - 18, target.name);
      assert.ok(days.every((d) => d.source === 'offline'));
    }

    const after = await gql<{
      offlineCalendar: Record<string, unknown> & {
        closuresFile: {
          path: string;
          loadedAt: string;
          refusedAt: string | null;
          years: unknown[];
        };
      };
      jobs: { nodes: Array<{ id: string; origin: { type: string; name: string } }> };
      isTradingDay: boolean;
    }>(
      t.url,
      `{ offlineCalendar { coveredTo coveredBy packageCoveredTo warning
           closuresFile { path loadedAt refusedAt years { year complete notice coveredBy closures { date note } reopened { date } } } }
         jobs(first: 5) { nodes { id origin { type name } } }
         isTradingDay(date: "2027-02-08") }`,
    );
    const { closuresFile, ...coverage } = after.offlineCalendar;
    assert.deepEqual(coverage, {
      coveredTo: '2027-12-31',
      coveredBy: 'FILE',
      packageCoveredTo: '2026-12-31',
      warning: fileWarning(),
    });
    assert.equal(closuresFile.path, join(dir, 'exchange-closures.json'));
    assert.equal(closuresFile.refusedAt, null);
    assert.deepEqual(closuresFile.years, [
      {
        year: 2027,
        complete: true,
        notice: TEST_NOTICE_2027,
        coveredBy: 'FILE',
        closures: TEST_CLOSURES_2027.map((date) => ({ date, note: 'invented closure' })),
        reopened: [],
      },
    ]);
    assert.equal(after.jobs.nodes[0]!.id, refill!.id, 'the refill shows in jobs');
    assert.equal(after.isTradingDay, false, 'the stored calendar closes a listed closure');

    const health = (await (await fetch(`${t.url}/health`)).json()) as {
      offlineCalendar: Record<string, unknown>;
    };
    assert.deepEqual(
      { ...health.offlineCalendar, closuresFile: undefined },
      {
        coveredFrom: '2004-01-01',
        coveredTo: '2027-12-31',
        source: 'file',
        packageCoveredTo: '2026-12-31',
        warning: fileWarning(),
        closuresFile: undefined,
      },
    );
    assert.deepEqual(Object.keys(health.offlineCalendar.closuresFile as object), [
      'loadedAt',
      'refusedAt',
    ]);
  });

  it('the trading_day trigger, reading the refilled stored calendar, skips the listed closures', async () => {
    const calendar = new TradeDayQueries(t.app.targets.control());
    const warnings: string[] = [];
    const trigger = parseTrigger(
      { type: 'trading_day', arguments: { hour: 15, minute: 30 } },
      {
        defaultTimeZone: 'Asia/Shanghai',
        isTradingDay: (date) => calendar.isTradingDay(date),
        warn: (message) => warnings.push(message),
      },
    );
    // Thursday 4 February 2027, after 15:30: the invented Spring Festival closes 5 and 8–12 February.
    const times = await upcomingFireTimes(trigger, new Date('2027-02-04T16:00:00+08:00'), 3);
    assert.deepEqual(
      times.map((d) => d.toISOString()),
      ['2027-02-15T07:30:00.000Z', '2027-02-16T07:30:00.000Z', '2027-02-17T07:30:00.000Z'],
    );
    assert.deepEqual(warnings, [], 'every day had a stored row: no weekday guess');
  });

  it('a bad edit is refused and logged, naming the entry; the previous calendar stays in use', async () => {
    const jobsBefore = (await refillJobs(t)).length;
    const bad = closuresFile2027();
    const year = (bad.years as Record<string, { closures: Array<{ date: string }> }>)['2027']!;
    year.closures.push({ date: '2027-01-02' }, { date: '2027-02-08' });
    writeClosuresFile(dir, bad);
    await until(() => logged(t, /exchange closures file was refused/), 'the refusal in the log');
    const line = t.logs
      .map((l) => JSON.parse(l) as { level: number; msg: string; error?: string })
      .find((l) => /was refused/.test(l.msg))!;
    assert.equal(line.level, 50);
    assert.match(line.error!, /years\.2027\.closures\[18\]\.date: 2027-01-02 is a Saturday/);
    assert.match(
      line.error!,
      /years\.2027\.closures\[19\]\.date: 2027-02-08 is listed twice: also at years\.2027\.closures\[2\]/,
    );

    assert.equal(t.app.calendar.coverage.to, '2027-12-31');
    assert.equal(t.app.calendar.isTradingDay('2027-02-08'), false);
    const mutation = await gql<{
      reloadExchangeClosures: {
        __typename: string;
        message?: string;
        path?: string;
        code?: string;
      };
    }>(
      t.url,
      `mutation { reloadExchangeClosures { __typename ... on ExchangeClosuresRefused { message path code } } }`,
    );
    const query = await gql<{
      offlineCalendar: {
        coveredTo: string;
        closuresFile: { refusedAt: string | null; refusal: string | null };
      };
    }>(t.url, `{ offlineCalendar { coveredTo closuresFile { refusedAt refusal } } }`);
    const data = { ...mutation, ...query };
    assert.equal(data.offlineCalendar.coveredTo, '2027-12-31');
    assert.ok(data.offlineCalendar.closuresFile.refusedAt);
    assert.match(data.offlineCalendar.closuresFile.refusal ?? '', /2027-01-02 is a Saturday/);
    assert.equal(data.reloadExchangeClosures.__typename, 'ExchangeClosuresRefused');
    assert.equal(data.reloadExchangeClosures.code, 'CLOSURES_FILE_REFUSED');
    assert.equal(data.reloadExchangeClosures.path, join(dir, 'exchange-closures.json'));
    assert.match(data.reloadExchangeClosures.message ?? '', /years\.2027\.closures\[18\]\.date/);
    assert.equal((await refillJobs(t)).length, jobsBefore, 'no job for a refused file');

    // Fixing the file clears the refusal; nothing changed, so nothing is refilled.
    writeClosuresFile(dir, closuresFile2027());
    await until(
      async () =>
        (
          await gql<{ offlineCalendar: { closuresFile: { refusedAt: string | null } } }>(
            t.url,
            `{ offlineCalendar { closuresFile { refusedAt } } }`,
          )
        ).offlineCalendar.closuresFile.refusedAt === null,
      'the refusal to clear',
    );
    const again = await gql<{
      reloadExchangeClosures: { __typename: string; changedYears: number[]; refillJobs: unknown[] };
    }>(
      t.url,
      `mutation { reloadExchangeClosures { __typename ... on ExchangeClosuresReloaded { changedYears refillJobs { id } } } }`,
    );
    assert.deepEqual(again.reloadExchangeClosures, {
      __typename: 'ExchangeClosuresReloaded',
      changedYears: [],
      refillJobs: [],
    });
    assert.equal((await refillJobs(t)).length, jobsBefore);
  });

  it('a correction to a covered year refills only that year', async () => {
    writeClosuresFile(
      dir,
      closuresFile2027({
        '2025': {
          complete: false,
          notice: 'a test correction',
          closures: [{ date: '2025-05-06' }],
        },
      }),
    );
    await until(
      async () =>
        (await refillJobs(t)).some((j) =>
          j.origin.name?.startsWith('refill 2025-01-01..2025-12-31'),
        ),
      'the 2025 refill',
    );
    const job = (await refillJobs(t)).at(-1)!;
    assert.equal((await waitForJob(t.app, job.id)).status, 'FINISHED');
    for (const target of t.app.targets.list())
      assert.equal(
        await new TradeDayQueries(target).isTradingDay('2025-05-06'),
        false,
        target.name,
      );
  });
});

describe('the exchange closures file at start-up', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const configDir = (closures: unknown, server: Record<string, unknown> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-closures-start-'));
    dirs.push(dir);
    writeTestConfig(dir, {
      server: { exchangeClosures: { file: 'exchange-closures.json' }, ...server },
    });
    writeClosuresFile(dir, closures);
    return dir;
  };

  it('a bad file stops the server, naming the entry (exit code 2)', async () => {
    const bad = { years: { '2027': { complete: true, notice: 'n', closures: [] } } };
    assert.throws(
      () => loadAppConfig({ FDA_CONFIG_DIR: configDir(bad) }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /exchange-closures\.json: years\.2027\.closures: the year is declared complete but lists no closures/.test(
          error.message,
        ),
    );
    await assert.rejects(
      startServerProcess(configDir(bad)),
      /exited \(2\) before listening:[\s\S]*configuration error[\s\S]*years\.2027\.closures: the year is declared complete/,
    );
  });

  it('fills 2027 into a stored calendar that lacks it (the file was edited while the server was down), once', async () => {
    const dir = configDir({ years: {} }, { fillEmptyCalendarOnStart: true });
    let t = await startTestApp({ dir });
    try {
      const [fill] = await t.app.executor.list({ limit: 5 });
      assert.equal((await waitForJob(t.app, fill!.id)).status, 'FINISHED');
      assert.equal(await new TradeDayQueries(t.app.targets.control()).latestDate(), '2026-12-31');
    } finally {
      await t.stop();
    }

    writeClosuresFile(dir, closuresFile2027());
    t = await startTestApp({ dir });
    try {
      const [refill] = await refillJobs(t);
      assert.equal(
        refill?.origin.name,
        'refill 2027-01-01..2027-12-31 (exchange closures file at start-up)',
      );
      assert.equal((await waitForJob(t.app, refill.id)).status, 'FINISHED');
      assert.equal(
        await new TradeDayQueries(t.app.targets.control()).isTradingDay('2027-02-08'),
        false,
      );
    } finally {
      await t.stop();
    }

    t = await startTestApp({ dir });
    try {
      assert.equal((await refillJobs(t)).length, 1, 'stored already: no second refill');
    } finally {
      await t.stop();
    }
  });

  it('the shipped conf starts with its closures file, which has no years', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-closures-shipped-'));
    dirs.push(dir);
    cpSync(new URL('../../conf', import.meta.url), dir, { recursive: true });
    const config = loadAppConfig({ FDA_CONFIG_DIR: dir });
    assert.equal(config.server.exchangeClosures?.file, join(dir, 'exchange-closures.json'));
    assert.deepEqual(config.exchangeClosures, { years: [] });
  });
});
