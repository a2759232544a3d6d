import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import pino from 'pino';
import {
  logDisagreements,
  MAX_DISAGREEMENTS_LOGGED,
  type Disagreement,
} from '../../src/components/builtin/trade-days/calendar-disagreements.js';
import { TradeDayQueries } from '../../src/storage/trade-day-queries.js';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import { referenceCalendar } from '../support/reference-data.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import {
  closuresFile2027,
  testCalendar2027,
  TEST_NOTICE_2027,
  writeClosuresFile,
} from '../offline-calendar/test-closures.js';

/**
 * The private fake's calendar: the reference calendar, then the invented 2027 of the closures
 * file with two days changed, as a typo in the file (or a late change by the exchange) would.
 * 2027-09-15 is closed in the file and open here; 2027-03-01 the other way round.
 */
const FLIPPED = new Map([
  ['2027-09-15', '1'],
  ['2027-03-01', '0'],
]);
const fakeCalendar = [
  ...referenceCalendar(),
  ...testCalendar2027().map(([date, flag]) => [date, FLIPPED.get(date) ?? flag] as const),
];

describe('BaoStock rows meeting the offline calendar', () => {
  let t: TestApp;
  let fake: FakeBaoStock;
  const asked: Array<{ from: string; to: string }> = [];

  before(async () => {
    fake = await startFakeBaoStock({
      maxRowsPerPage: 5000,
      calendar: (from, to) => {
        asked.push({ from, to });
        return fakeCalendar.filter(([date]) => date >= from && date <= to);
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'fda-disagree-'));
    writeTestConfig(dir, {
      server: { exchangeClosures: { file: 'exchange-closures.json', watch: false } },
      sources: { baostock: { fake: { host: fake.host, port: fake.port } } },
    });
    writeClosuresFile(dir, closuresFile2027());
    t = await startTestApp({ dir });
  });
  after(async () => {
    await t?.destroy();
    await fake?.close();
  });

  const pipeline = (producerArgs: Record<string, unknown>) =>
    submitSteps(t.app, [
      ['producer_0', 'BaoStockTradeDayProducer', '', producerArgs],
      ['processor_0', 'BaoStockTradeDayProcessor', 'producer_0'],
      ['storager_0', 'BaoStockTradeDayStorager', 'processor_0'],
    ]);
  const stored = () => new TradeDayQueries(t.app.targets.control());

  it('logs each day on which BaoStock and the offline calendar disagree, naming the day and both values; BaoStock’s rows are stored', async () => {
    const job = await pipeline({
      from: '2027-01-01',
      to: '2027-12-31',
    });
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const warnings = (await t.app.store.logLines(job.id, 0, 1000)).filter(
      (l) => l.level === 'warn' && l.step === 'processor_0',
    );
    assert.deepEqual(
      warnings.map((l) => l.message),
      [
        `2027-03-01: BaoStock says closed, the offline calendar says a trading day (from the exchange closures file (notice: ${TEST_NOTICE_2027})); BaoStock's row is kept`,
        `2027-09-15: BaoStock says a trading day, the offline calendar says closed (from the exchange closures file (notice: ${TEST_NOTICE_2027})); BaoStock's row is kept`,
      ],
    );
    const rows = await stored().between('2027-03-01', '2027-03-01');
    assert.deepEqual(rows, [
      { calendarDate: '2027-03-01', isTradingDay: false, source: 'baostock' },
    ]);
    assert.equal(await stored().isTradingDay('2027-09-15'), true);
  });

  it('logs nothing for years where the two agree (2004 to 2026: the package and the reference calendar)', async () => {
    const job = await pipeline({
      from: '2004-01-01',
      to: '2026-12-31',
    });
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const lines = await t.app.store.logLines(job.id, 0, 1000);
    assert.deepEqual(
      lines.filter((l) => l.level === 'warn' && l.step === 'processor_0'),
      [],
    );
  });

  it('starts a BaoStock run from BaoStock’s own latest day, so it replaces days the offline calendar stored after it', async () => {
    // The offline calendar stores 2027 (as a closures-file refill does) after BaoStock's last day.
    const offline = await pipeline({ source: 'offline', from: '2027-01-01', to: '2027-12-31' });
    assert.equal((await waitForJob(t.app, offline.id)).status, 'FINISHED');
    assert.equal(await stored().latestDate(), '2027-12-31');
    const latestBaoStock = await stored().latestDate('baostock');
    assert.equal(latestBaoStock, '2026-12-31');

    asked.length = 0;
    const job = await pipeline({});
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const endOfYear = `${DateTime.now().setZone('Asia/Shanghai').year}-12-31`;
    assert.deepEqual(asked[0], {
      from: DateTime.fromISO(latestBaoStock).minus({ days: 30 }).toISODate(),
      to: endOfYear,
    });
  });
});

describe('the disagreement log', () => {
  it(`names the first ${MAX_DISAGREEMENTS_LOGGED} days one line each, then counts the rest in one line`, () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write: (chunk: Buffer, _e, done) => (
          lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string }),
          done()
        ),
      }),
    );
    const found: Disagreement[] = Array.from({ length: 25 }, (_, i) => ({
      date: `2025-03-${String(i + 1).padStart(2, '0')}`,
      baoStock: false,
      offline: { isTradingDay: true, source: 'package', notice: null },
    }));
    logDisagreements(found, logger);
    assert.equal(lines.length, MAX_DISAGREEMENTS_LOGGED + 1);
    assert.ok(lines.every((l) => l.level === 40));
    assert.equal(
      lines[0]!.msg,
      "2025-03-01: BaoStock says closed, the offline calendar says a trading day (from the package: chinese-days with the exchange closures built into this server); BaoStock's row is kept",
    );
    assert.equal(
      lines.at(-1)!.msg,
      "BaoStock and the offline calendar disagree on 5 more day(s) (25 in all, 2025-03-21 to 2025-03-25); BaoStock's rows are kept",
    );
  });
});
