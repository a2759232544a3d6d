import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalDecimal } from '../../src/sources/baostock/decimal.js';
import { MarketQueries } from '../../src/storage/market-queries.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { fakeMarket } from '../baostock/helpers.js';
import { K_LINE_COLUMNS, capturedUniverse, isIndexCode } from '../support/baostock-fake-market.js';
import {
  startFakeBaoStock,
  type FakeBaoStock,
  type FakeBaoStockOptions,
} from '../support/baostock-fake-server.js';
import { waitForJob } from '../support/jobs.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { referenceCalendar } from '../support/reference-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';

const DAY = '2024-01-02';
const CODES = capturedUniverse()
  .map(([code]) => code)
  .filter((code) => !isIndexCode(code))
  .slice(0, 300);
const FAILING = CODES[17]!;

const barsJob = (extra: Record<string, unknown> = {}) => ({
  pipeline_structure: {
    bars: {
      component_class_name: 'BaoStockDailyBarProducer',
      pre_component_name: '',
      component_arguments: { endpoint: 'fake', codes: CODES, batchRows: 64, ...extra },
    },
    check: {
      component_class_name: 'DailyBarProcessor',
      pre_component_name: 'bars',
      component_arguments: {},
    },
    store: {
      component_class_name: 'DailyBarStorager',
      pre_component_name: 'check',
      component_arguments: {},
    },
  },
});

interface TargetResult {
  target: string;
  ok: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
}

const storeResult = (job: { steps: Array<{ name: string; result: unknown }> }) =>
  (job.steps.find((s) => s.name === 'store')!.result as { targets: TargetResult[] }).targets;

/** What the fake served for a code and day, in the storage row's shape, decimals canonical. */
function served(code: string) {
  const row = fakeMarket().dailyBars(code, K_LINE_COLUMNS, DAY, DAY)[0]!;
  const get = (name: (typeof K_LINE_COLUMNS)[number]) => row[K_LINE_COLUMNS.indexOf(name)]!;
  const dec = (name: (typeof K_LINE_COLUMNS)[number]) =>
    get(name) === '' ? null : canonicalDecimal(get(name))!;
  return {
    code,
    tradeDate: DAY,
    open: dec('open'),
    high: dec('high'),
    low: dec('low'),
    close: dec('close'),
    preclose: dec('preclose'),
    volume: get('volume') === '' ? null : Number(get('volume')),
    amount: dec('amount'),
    turn: dec('turn'),
    pctChg: dec('pctChg'),
    tradeStatus: Number(get('tradestatus')),
    isSt: get('isST') === '1',
  };
}

describe(
  'daily bars of 300 securities into two MySQL targets and SQLite',
  { skip: await mysqlSkipReason() },
  () => {
    let fake: FakeBaoStock;
    let fault: FakeBaoStockOptions['fault'];
    let t: TestApp;
    const dbs: Array<Awaited<ReturnType<typeof createTestDatabase>>> = [];

    before(async () => {
      fake = await startFakeBaoStock({ market: fakeMarket(), fault: (r) => fault?.(r) });
      dbs.push(await createTestDatabase('bars_a'), await createTestDatabase('bars_b'));
      const server = mysqlTestServer();
      t = await startTestApp({
        server: { maxConcurrentJobs: 2 },
        storage: {
          control: 'local',
          sqlite: { local: { file: 'control.sqlite' } },
          mysql: {
            a: { ...server, database: dbs[0]!.name },
            b: { ...server, database: dbs[1]!.name },
          },
        },
        sources: {
          default: 'fake',
          baostock: { fake: { host: fake.host, port: fake.port, sessions: 4 } },
        },
      });
      // The stored calendar the processor checks against: 2024 as the exchange kept it.
      const rows = referenceCalendar()
        .filter(([d]) => d.startsWith('2024-01'))
        .map(([d, flag]) => ({ calendarDate: d, isTradingDay: flag === '1', source: 'test' }));
      await upsertRows([t.app.targets.control()], tradeDayTable, rows);
    });
    after(async () => {
      await t?.destroy();
      await fake?.close();
      for (const db of dbs) await db.drop();
    });

    const run = async (spec: unknown, partition = DAY) => {
      const result = await t.app.executor.submit({ document: spec }, { partition });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
      return waitForJob(t.app, result.job.id, 120_000);
    };

    it('stores what the fake served, value for value, on every target; a re-run finds every row unchanged', async () => {
      const job = await run(barsJob());
      assert.equal(job.status, 'FINISHED', job.error ?? '');
      const results = storeResult(job);
      assert.deepEqual(
        results.map((r) => [r.target, r.ok, r.inserted, r.updated, r.unchanged]).sort(),
        [
          ['a', true, 300, 0, 0],
          ['b', true, 300, 0, 0],
          ['local', true, 300, 0, 0],
        ],
      );
      for (const target of ['a', 'b', 'local']) {
        const q = new MarketQueries(t.app.targets.get(target));
        for (const code of [CODES[0]!, CODES[150]!, CODES[299]!])
          assert.deepEqual(await q.dailyBars(code, DAY, DAY), [served(code)], `${target} ${code}`);
      }
      const producer = job.steps.find((s) => s.name === 'bars')!;
      assert.equal(producer.rowsOut, 300);
      assert.deepEqual(producer.progress.at(-1), { done: 300, total: 300, label: 'securities' });

      const again = await run(barsJob());
      assert.equal(again.status, 'FINISHED');
      assert.ok(
        storeResult(again).every((r) => r.unchanged === 300 && r.inserted + r.updated === 0),
      );

      const coverage = await gql<{
        barCoverage: Array<{ day: string; target: string; stored: number }>;
      }>(t.url, `{ barCoverage(from: "${DAY}", to: "2024-01-03") { day target stored } }`);
      assert.deepEqual(
        coverage.barCoverage.filter((c) => c.day === DAY).map((c) => [c.target, c.stored]),
        [
          ['a', 300],
          ['b', 300],
          ['local', 300],
        ],
      );
    });

    it('refuses bars on a day the stored calendar says was closed, naming code and date', async () => {
      // 2024-01-06 is a Saturday; ask the fake for it anyway by giving the range.
      const job = await run(
        barsJob({ codes: CODES.slice(0, 3), from: '2024-01-05', to: '2024-01-08' }),
      );
      assert.equal(job.status, 'FINISHED', 'the fake serves trading days only: nothing to refuse');
      await upsertRows([t.app.targets.control()], tradeDayTable, [
        { calendarDate: '2024-01-05', isTradingDay: false, source: 'test' },
      ]);
      const refused = await run(
        barsJob({ codes: CODES.slice(0, 3), from: '2024-01-05', to: '2024-01-05' }),
      );
      assert.equal(refused.status, 'FAILED');
      assert.match(
        refused.error!,
        new RegExp(`3 daily bar\\(s\\) refused: ${CODES[0]!.replace('.', '\\.')} 2024-01-05`),
      );
      await upsertRows([t.app.targets.control()], tradeDayTable, [
        { calendarDate: '2024-01-05', isTradingDay: true, source: 'test' },
      ]);
    });

    it('takes the universe of the last trading day when a range ends on a closed day', async () => {
      const asked = fake.requests.length;
      // 2024-01-07 is a Sunday, closed by the stored calendar: the universe is 2024-01-05's.
      const job = await run(barsJob({ codes: undefined, from: '2024-01-05', to: '2024-01-07' }));
      assert.equal(job.status, 'FINISHED', job.error ?? '');
      const universes = fake.requests.slice(asked).filter((r) => r.method === 'query_all_stock');
      assert.equal(universes.length, 1);
      assert.ok(universes[0]!.fields.includes('2024-01-05'), universes[0]!.fields.join('|'));
      const stocks = capturedUniverse().filter(([code]) => !isIndexCode(code)).length;
      assert.equal(job.steps.find((s) => s.name === 'bars')!.rowsOut, stocks);
    });

    it('reports a security that fails every time, and writes all the others', async () => {
      fault = (r) =>
        r.method === 'query_history_k_data_plus' && r.fields[4] === FAILING
          ? { kind: 'close-mid-reply', reset: true }
          : undefined;
      try {
        const job = await run(barsJob(), '2024-01-03');
        assert.equal(job.status, 'FAILED');
        assert.match(
          job.error!,
          new RegExp(
            `1 of 300 securities failed after their retries: ${FAILING.replace('.', '\\.')}`,
          ),
        );
        const results = storeResult(job);
        assert.ok(
          results.every((r) => r.ok && r.inserted === 299),
          JSON.stringify(results),
        );
      } finally {
        fault = undefined;
      }
    });
  },
);
