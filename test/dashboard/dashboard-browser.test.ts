import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DASHBOARD_DIR } from '../../src/dashboard/serve-dashboard.js';
import { gql } from '../graphql/support.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { waitForJob } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { openBrowser, type TestBrowser } from './browser.js';

const COMPONENTS = fileURLToPath(new URL('./components', import.meta.url));

const offlineTradeDays = {
  pipeline_structure: {
    producer_0: {
      component_class_name: 'BaoStockTradeDayProducer',
      pre_component_name: '',
      component_arguments: { source: 'offline', fullRefresh: true },
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
};

async function submitPaced(url: string, args: Record<string, number>): Promise<string> {
  const { submitJob } = await gql<{ submitJob: { __typename: string; id: string } }>(
    url,
    `mutation ($args: JSON) { submitJob(input: { steps: [
      { name: "lines", componentClassName: "TestPacedLines", componentArguments: $args },
      { name: "store", componentClassName: "TestCountStorager", preComponentName: "lines" }
    ] }) { __typename ... on Job { id } } }`,
    { args },
  );
  assert.equal(submitJob.__typename, 'Job');
  return submitJob.id;
}

describe('the dashboard in a real browser', () => {
  let t: TestApp;
  let b: TestBrowser;
  before(async () => {
    assert.ok(
      existsSync(join(DEFAULT_DASHBOARD_DIR, 'index.html')),
      'the dashboard is not built: npm run build:dashboard (npm install runs it)',
    );
    t = await startTestApp({ server: { componentsDir: COMPONENTS } });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await t?.destroy();
  });

  it('the overview loads with no console error', async () => {
    const { submitJob } = await gql<{ submitJob: { id: string } }>(
      t.url,
      `mutation ($document: JSON!) { submitJob(input: { document: $document }) { ... on Job { id } } }`,
      { document: offlineTradeDays },
    );
    await waitForJob(t.app, submitJob.id);
    await b.page.goto(`${t.url}/`);
    await b.page
      .locator('[data-counter="finished today"] strong')
      .filter({ hasText: '1' })
      .waitFor();
    await b.page.locator('[data-testid=throughput] canvas').waitFor();
    await b.page.locator('[data-testid=target-health] tr', { hasText: 'local' }).waitFor();
    await b.screenshot('overview');
    assert.deepEqual(b.errors, []);
  });

  let id: string;
  it('a job submitted through the API appears in the list live', async () => {
    await b.page.goto(`${t.url}/#/jobs`);
    await b.page.locator('[data-testid=jobs] tbody tr').first().waitFor();
    id = await submitPaced(t.url, { lines: 9, everyMs: 400, holdMs: 60_000 });
    const row = b.page.locator(`tr[data-job="${id}"]`);
    await row.waitFor();
    await row.locator('.badge', { hasText: 'RUNNING' }).waitFor();
    await b.screenshot('jobs');
  });

  it('its page shows the timeline and its log lines arriving live', async () => {
    await b.page.locator(`tr[data-job="${id}"] a`).click();
    await b.page.locator('[data-testid=timeline] tr[data-step=lines] .gantt-bar').waitFor();
    await b.page.locator('[data-testid=timeline] tr[data-step=store]').waitFor();
    const lines = b.page.locator('[data-testid=log-lines] .log-line');
    await lines.filter({ hasText: 'line 1' }).waitFor();
    const early = await lines.count();
    await lines.filter({ hasText: 'line 5' }).waitFor();
    assert.ok((await lines.count()) > early, 'more lines arrived while the page was open');
    assert.equal(
      (await t.app.executor.get(id))?.status,
      'RUNNING',
      'they arrived live, not at the end',
    );
  });

  it('the errors-only filter hides INFO lines', async () => {
    const lines = b.page.locator('[data-testid=log-lines] .log-line');
    await lines.filter({ hasText: 'problem 6' }).waitFor();
    assert.ok((await lines.locator('xpath=self::*[@data-level="INFO"]').count()) > 0);
    await b.page.selectOption('select[name=level]', 'ERROR');
    await lines.first().waitFor();
    const levels = await lines.evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('data-level')),
    );
    assert.ok(levels.length >= 2, `error lines: ${levels.join(',')}`);
    assert.ok(
      levels.every((level) => level === 'ERROR'),
      levels.join(','),
    );
    await b.page.selectOption('select[name=level]', 'ALL');
  });

  it('cancel works', async () => {
    await b.page.locator('button[name=cancel]').click();
    await b.page.locator('h1 .badge', { hasText: 'CANCELLED' }).waitFor();
    assert.equal((await waitForJob(t.app, id)).status, 'CANCELLED');
    await b.page.locator('[data-testid=log-count]', { hasText: 'ended' }).waitFor();
    await b.page.locator('[data-testid=job-error]').waitFor();
    await b.screenshot('job');
    assert.deepEqual(b.errors, []);
  });

  it('the schedules and data pages show the trigger in words and the calendar heat map', async () => {
    await b.page.goto(`${t.url}/#/schedules`);
    await b.page.locator('h1', { hasText: 'Schedules' }).waitFor();
    await b.screenshot('schedules');
    await b.page.goto(`${t.url}/#/data`);
    const year = Number(await b.page.locator('[data-testid=calendar-year]').textContent());
    for (let y = year; y > 2024; y -= 1) await b.page.locator('button[name=previous-year]').click();
    await b.page.locator('[data-testid=calendar-year]', { hasText: '2024' }).waitFor();
    await b.page
      .locator('[data-testid=calendar-summary]', { hasText: '242 trading days' })
      .waitFor();
    assert.equal(await b.page.locator('[data-testid=calendar] [data-status=TRADING]').count(), 242);
    await b.page.locator('[data-target=local] td', { hasText: 'trade_day' }).first().waitFor();
    const shot = await b.screenshot('data');
    assert.ok(statSync(shot).size > 1000);
    assert.deepEqual(b.errors, []);
  });

  it('the coverage heat map shows a backfilled range, started from the map, with live progress', async () => {
    // A partitioned schedule and a stored week of March 2024 (a weekend in it).
    const schedules = join(t.dir, 'scheduled-jobs');
    mkdirSync(schedules, { recursive: true });
    writeFileSync(
      join(schedules, 'bars.json'),
      JSON.stringify({
        pipeline_structure: {
          lines: {
            component_class_name: 'TestPacedLines',
            pre_component_name: '',
            component_arguments: { lines: 2 },
          },
        },
        trigger: { type: 'date', arguments: { run_date: '2099-01-01 00:00:00' } },
        partitions: { by: 'trading_day' },
      }),
    );
    const week = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];
    await upsertRows(
      [t.app.targets.control()],
      tradeDayTable,
      [...week, '2024-03-09', '2024-03-10'].map((d, i) => ({
        calendarDate: d,
        isTradingDay: i < 5,
        source: 'test',
      })),
    );
    await t.app.scheduler.reload();

    await b.page.goto(`${t.url}/#/schedules`);
    const map = b.page.locator('[data-testid=coverage-bars]');
    await map.waitFor();
    const year = Number(await map.locator('[data-testid=coverage-year]').textContent());
    for (let y = year; y > 2024; y -= 1) await map.locator('button[name=previous-year]').click();
    await map.locator('[data-testid=coverage-year]', { hasText: '2024' }).waitFor();
    await map.locator('[data-date="2024-03-04"][data-status=MISSING]').waitFor();
    await map.locator('[data-date="2024-03-04"]').click();
    await map.locator('[data-date="2024-03-08"]').click();
    await map
      .locator('[data-testid=coverage-range]', { hasText: '2024-03-04 to 2024-03-08' })
      .waitFor();
    await map.locator('button[name=backfill]').click();
    await map.locator('[data-testid=backfill-progress][data-status=FINISHED]').waitFor();
    await map.locator('[data-date="2024-03-08"][data-status=FINISHED]').waitFor();
    assert.equal(
      await map.locator('[data-testid=coverage-map] [data-status=FINISHED]').count(),
      week.length,
    );
    const jobs = await t.app.executor.list({ originName: 'bars', limit: 100 });
    assert.deepEqual(jobs.map((j) => j.partition).sort(), week);
    await b.screenshot('coverage');
    assert.deepEqual(b.errors, []);
  });
});
