import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { defaultFetchRange } from '../../src/components/builtin/trade-days/fetch-range.js';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { freePort } from '../support/mariadb-instance.js';
import { referenceCalendar } from '../support/reference-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import { probe } from '../support/probe.js';

describe('the default fetch range', () => {
  it('starts 30 days before the latest stored day and ends with the current year', () => {
    assert.deepEqual(
      defaultFetchRange({
        latestStored: '2026-03-15',
        today: '2026-11-26',
        fullRefresh: false,
        safetyDays: 30,
      }),
      { from: '2026-02-13', to: '2026-12-31' },
    );
  });
  it('fetches everything from 1990-12-19 when nothing is stored or a full refresh is asked for', () => {
    assert.deepEqual(
      defaultFetchRange({
        latestStored: null,
        today: '2026-11-26',
        fullRefresh: false,
        safetyDays: 30,
      }),
      { from: '1990-12-19', to: '2026-12-31' },
    );
    assert.deepEqual(
      defaultFetchRange({
        latestStored: '2026-03-15',
        today: '2026-11-26',
        fullRefresh: true,
        safetyDays: 30,
      }),
      { from: '1990-12-19', to: '2026-12-31' },
    );
  });
});

describe('BaoStockTradeDayProducer', () => {
  let t: TestApp;
  let fake: FakeBaoStock;
  let refusing: FakeBaoStock;
  let closedPort: number;
  const calendar = referenceCalendar();
  const endOfYear = `${DateTime.now().setZone('Asia/Shanghai').year}-12-31`;

  before(async () => {
    fake = await startFakeBaoStock({ calendar, maxRowsPerPage: 5000 });
    refusing = await startFakeBaoStock({
      calendar,
      fault: (r) =>
        r.method === 'login'
          ? { kind: 'error', code: '10001005', message: '登录数量超限' }
          : undefined,
    });
    closedPort = await freePort();
    // The endpoints jobs may use: hosts and accounts are configuration, never job arguments.
    t = await startTestApp({
      sources: {
        default: 'fake',
        baostock: {
          fake: { host: fake.host, port: fake.port },
          refusing: { host: refusing.host, port: refusing.port },
          closed: { host: '127.0.0.1', port: closedPort, connectTimeoutMs: 2000 },
        },
      },
    });
  });
  after(async () => {
    await t.destroy();
    await fake.close();
    await refusing.close();
  });

  const run = async (args: Record<string, unknown>, name: string) => {
    const job = await submitSteps(t.app, [
      ['producer_0', 'BaoStockTradeDayProducer', '', args],
      ['collect', 'TestCollectStorager', 'producer_0', { probe: name }],
    ]);
    const done = await waitForJob(t.app, job.id);
    const lines = await t.app.store.logLines(job.id, 0, 1000);
    return {
      done,
      lines,
      rows: (probe(name).values[0] ?? []) as Array<{
        calendarDate: string;
        isTradingDay: string | boolean;
        source: string;
      }>,
    };
  };

  it('fetches every page from BaoStock: with nothing stored, the whole calendar from 1990-12-19', async () => {
    const { done, rows } = await run({}, 'producer-full');
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const expected = calendar.filter(([date]) => date <= endOfYear);
    assert.equal(rows.length, expected.length);
    assert.deepEqual(rows.slice(0, 2), [
      { calendarDate: '1990-12-19', isTradingDay: '1', source: 'baostock' },
      { calendarDate: '1990-12-20', isTradingDay: '1', source: 'baostock' },
    ]);
    assert.ok(
      rows.every(
        (r, i) => r.calendarDate === expected[i]![0] && r.isTradingDay === expected[i]![1],
      ),
    );
    const queries = fake.requests.filter((r) => r.method === 'query_trade_dates');
    assert.equal(queries.length, Math.floor(expected.length / 5000) + 1);
  });

  it('falls back to the offline calendar with a WARN line when BaoStock cannot be reached', async () => {
    const { done, rows, lines } = await run(
      { endpoint: 'closed', from: '2024-02-01', to: '2024-02-29' },
      'producer-fallback',
    );
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    assert.equal(rows.length, 29);
    assert.ok(rows.every((r) => r.source === 'offline'));
    assert.deepEqual(rows.filter((r) => r.isTradingDay === true).length, 15);
    assert.ok(
      lines.some(
        (l) =>
          l.level === 'warn' &&
          /BaoStock cannot be reached .*falling back to the offline calendar/.test(l.message),
      ),
      JSON.stringify(lines),
    );
  });

  it('fails instead when fallback is off, naming where it tried', async () => {
    const { done } = await run(
      { endpoint: 'closed', fallback: false, from: '2024-02-01', to: '2024-02-29' },
      'producer-nofallback',
    );
    assert.equal(done.status, 'FAILED');
    assert.match(
      done.error ?? '',
      new RegExp(`step "producer_0" failed: .*127\\.0\\.0\\.1:${closedPort}`),
    );
  });

  it('fails on a refused login with the service’s code and text', async () => {
    const { done } = await run(
      { endpoint: 'refusing', from: '2024-01-01', to: '2024-01-10' },
      'producer-refused',
    );
    assert.equal(done.status, 'FAILED');
    assert.match(done.error ?? '', /error 10001005 \(登录数量超限\)/);
  });

  it('refuses an explicit offline range outside the covered years, saying which are covered', async () => {
    const { done } = await run(
      { source: 'offline', from: '1999-01-01', to: '1999-12-31' },
      'producer-uncovered',
    );
    assert.equal(done.status, 'FAILED');
    assert.match(done.error ?? '', /covers 2004-01-01 to \d{4}-12-31.*BaoStock/);
  });

  it('an endpoint that is not configured is a problem of the spec, listing the configured ones', async () => {
    const result = await t.app.executor.submit({
      steps: [
        {
          name: 'p',
          componentClassName: 'BaoStockTradeDayProducer',
          preComponentName: '',
          componentArguments: { endpoint: 'attacker' },
        },
      ],
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      {
        path: 'steps[0].componentArguments.endpoint',
        message:
          'no BaoStock endpoint is named "attacker" in sources.json (configured: fake, refusing, closed)',
      },
    ]);
  });
});
