import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DASHBOARD_DIR } from '../../src/dashboard/serve-dashboard.js';
import {
  dailyBarTable,
  securityTable,
  tradeDayTable,
  upsertRows,
  type DailyBarRow,
} from '../../src/storage/upsert/index.js';
import { gql } from '../graphql/support.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { openBrowser, type TestBrowser } from './browser.js';

const WEEK = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];
const STOCKS = ['sh.600000', 'sh.600004', 'sz.000001'];
/** Bars stored per day: complete, partial, missing, complete (with an index bar beside), partial. */
const STORED: Record<string, string[]> = {
  '2024-03-04': STOCKS,
  '2024-03-05': STOCKS.slice(0, 2),
  '2024-03-06': [],
  '2024-03-07': [...STOCKS, 'sh.000001'],
  '2024-03-08': STOCKS.slice(2),
};

function bar(code: string, tradeDate: string): DailyBarRow {
  return {
    code,
    tradeDate,
    open: '10.5',
    high: '10.9',
    low: '10.1',
    close: '10.7',
    preclose: '10.4',
    volume: 1_000_000,
    amount: '10700000.5',
    turn: '0.25',
    pctChg: '2.88',
    tradeStatus: 1,
    isSt: false,
  };
}

describe('the dashboard’s exact counters and daily-bar coverage, in a real browser', () => {
  let t: TestApp;
  let b: TestBrowser;
  before(async () => {
    assert.ok(
      existsSync(join(DEFAULT_DASHBOARD_DIR, 'index.html')),
      'the dashboard is not built: npm run build:dashboard (npm install runs it)',
    );
    t = await startTestApp({ server: { maxConcurrentJobs: 1 } });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await t?.destroy();
  });

  it('the overview counts waiting, running, finished and failed jobs from jobStats', async () => {
    for (const args of [{}, {}, { fail: 'on purpose' }])
      await waitForJob(t.app, (await submitSteps(t.app, [['p', 'TestRowsProducer', '', args]])).id);
    const hold = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    // One slot: the next two wait behind the one holding it.
    await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    const { jobStats } = await gql<{ jobStats: Record<string, number> }>(
      t.url,
      `query ($since: DateTime) { jobStats(since: $since) { waiting running finished failed } }`,
      { since: new Date(Date.now() - 3_600_000).toISOString() },
    );
    assert.equal(jobStats.finished, 2);
    assert.equal(jobStats.failed, 1);
    await b.page.goto(`${t.url}/`);
    const counter = (label: string) => b.page.locator(`[data-counter="${label}"] strong`);
    await counter('running').filter({ hasText: /^1$/ }).waitFor();
    await counter('waiting').filter({ hasText: /^2$/ }).waitFor();
    assert.equal(await counter('finished today').textContent(), '2');
    assert.equal(await counter('failed today').textContent(), '1');
    // A status change refreshes the counters: cancelling the running job lets a waiting one in.
    await gql(t.url, `mutation ($id: ID!) { cancelJob(id: $id) { __typename } }`, { id: hold.id });
    await counter('waiting').filter({ hasText: /^1$/ }).waitFor();
    assert.equal(await counter('running').textContent(), '1');
    await b.screenshot('overview-counters');
    assert.deepEqual(b.errors, []);
  });

  it('the Data page says plainly when no daily bars exist, then draws full, partial and missing days', async () => {
    await upsertRows(
      [t.app.targets.control()],
      tradeDayTable,
      [...WEEK, '2024-03-09', '2024-03-10'].map((d, i) => ({
        calendarDate: d,
        isTradingDay: i < 5,
        source: 'test',
      })),
    );
    await b.page.goto(`${t.url}/#/data`);
    const section = b.page.locator('[data-testid=bar-coverage]');
    await section.waitFor();
    await section.locator('select[name=bar-year]').selectOption('2024');
    await section
      .locator('[data-testid=bar-coverage-summary]', { hasText: 'No daily-bar data on local yet' })
      .waitFor();
    assert.equal(await section.locator('[data-status=COMPLETE], [data-status=PARTIAL]').count(), 0);

    const securities = await upsertRows([t.app.targets.control()], securityTable, [
      ...STOCKS.map((code) => ({
        code,
        name: code,
        type: 1,
        status: 1,
        ipoDate: '2000-01-04',
        outDate: null,
      })),
      // An index: it has bars, but is not a stock anyone expects one of.
      {
        code: 'sh.000001',
        name: 'index',
        type: 2,
        status: 1,
        ipoDate: '1991-07-15',
        outDate: null,
      },
    ]);
    assert.ok(securities.every((r) => r.ok));
    const bars = await upsertRows(
      [t.app.targets.control()],
      dailyBarTable,
      Object.entries(STORED).flatMap(([day, codes]) => codes.map((code) => bar(code, day))),
    );
    assert.ok(bars.every((r) => r.ok));

    await b.page.reload();
    await section.locator('select[name=bar-year]').selectOption('2024');
    await section.locator('select[name=bar-target]').selectOption('local');
    const map = section.locator('[data-testid=bar-coverage-map]');
    await map.locator('[data-date="2024-03-04"][data-status=COMPLETE]').waitFor();
    const states = await map
      .locator('[data-date^="2024-03-0"]')
      .evaluateAll((cells) =>
        cells.map((c) => [c.getAttribute('data-date'), c.getAttribute('data-status')]),
      );
    assert.deepEqual(states, [
      ['2024-03-01', 'none'],
      ['2024-03-02', 'none'],
      ['2024-03-03', 'none'],
      ['2024-03-04', 'COMPLETE'],
      ['2024-03-05', 'PARTIAL'],
      ['2024-03-06', 'MISSING'],
      ['2024-03-07', 'COMPLETE'],
      ['2024-03-08', 'PARTIAL'],
      ['2024-03-09', 'none'],
    ]);
    assert.equal(
      await map.locator('[data-date="2024-03-05"]').getAttribute('title'),
      '2024-03-05: partial: 2 of 3 bars (66.7%)',
    );
    assert.equal(
      await map.locator('[data-date="2024-03-06"]').getAttribute('title'),
      '2024-03-06: missing: 0 of 3 bars (0.0%)',
    );
    assert.equal(
      await section.locator('[data-testid=bar-coverage-summary]').textContent(),
      '2024 on local: 2 complete, 2 partial, 1 missing of 5 trading days.',
    );
    assert.equal(await section.locator('[data-testid=legend] .cell').count(), 4);
    await b.screenshot('bar-coverage');
    assert.deepEqual(b.errors, []);
  });
});
