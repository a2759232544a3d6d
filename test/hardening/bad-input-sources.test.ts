/**
 * Bad data from a source: a local BaoStock server (it speaks the real protocol over TCP) serving
 * malformed rows and broken frames to real trade-day jobs submitted over HTTP. Each job must fail
 * with a clear error naming the row or the protocol fault, write nothing to any target, and leave
 * the server serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  encodeReply,
  startFakeBaoStock,
  type FakeBaoStock,
  type FakeBaoStockOptions,
  type FakeCalendarRow,
  type FakeFault,
} from '../support/baostock-fake-server.js';
import type { TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';
import { startHardeningApp, steps, submitJob, waitForFinal } from './support.js';

const FROM = '2024-01-01';
const TO = '2024-01-10';
const GOOD: FakeCalendarRow[] = [
  ['2024-01-01', '0'],
  ['2024-01-02', '1'],
  ['2024-01-03', '1'],
];

/** Replies to query_trade_dates (and only to it) with `fault`. */
const onQuery =
  (fault: FakeFault): FakeBaoStockOptions['fault'] =>
  (request) =>
    request.method === 'query_trade_dates' ? fault : undefined;

/** A well-framed query_trade_dates reply whose data field is `data`. */
const replyWithData = (data: string, columns = 'calendar_date, is_trading_day'): FakeFault => ({
  kind: 'garbage',
  bytes: encodeReply({
    type: '34',
    fields: [
      '0',
      'success',
      'query_trade_dates',
      'anonymous',
      '1',
      '10000',
      data,
      FROM,
      TO,
      columns,
    ],
  }),
});

/** [what the source sends, how the fake behaves, the step that must fail, the error it must fail with]. */
const CASES: [string, FakeBaoStockOptions, string, RegExp][] = [
  // Rows: the processor refuses them, naming the row.
  [
    'a date that does not exist',
    { calendar: () => [...GOOD, ['2024-02-30', '1']] },
    'processor_0',
    /^1 malformed trade-day row\(s\): row 4 \(calendar_date "2024-02-30"\): calendar_date is not a real date written YYYY-MM-DD$/,
  ],
  [
    'a date written with slashes',
    { calendar: () => [['2024/01/01', '0'], ...GOOD.slice(1)] },
    'processor_0',
    /^1 malformed trade-day row\(s\): row 1 \(calendar_date "2024\/01\/01"\): calendar_date is not a real date written YYYY-MM-DD$/,
  ],
  [
    'a flag that is neither 1 nor 0',
    { calendar: () => [...GOOD.slice(0, 2), ['2024-01-03', '2']] },
    'processor_0',
    /^1 malformed trade-day row\(s\): row 3 \(calendar_date "2024-01-03"\): is_trading_day must be 1 or 0, not "2"$/,
  ],
  [
    'an empty flag',
    { calendar: () => [['2024-01-01', ''], ...GOOD.slice(1)] },
    'processor_0',
    /^1 malformed trade-day row\(s\): row 1 \(calendar_date "2024-01-01"\): is_trading_day must be 1 or 0, not ""$/,
  ],
  [
    'a day sent twice, once open and once closed',
    { calendar: () => [...GOOD, ['2024-01-02', '0']] },
    'processor_0',
    /^1 malformed trade-day row\(s\): row 4 \(calendar_date "2024-01-02"\): conflicts with row 2: one says a trading day, the other closed$/,
  ],
  [
    'several bad rows at once',
    {
      calendar: () => [
        ['2024-13-01', '1'],
        ['2024-01-02', 'yes'],
        ['2024-01-03', '1'],
      ],
    },
    'processor_0',
    /^2 malformed trade-day row\(s\): row 1 \(calendar_date "2024-13-01"\): calendar_date is not a real date written YYYY-MM-DD; row 2 \(calendar_date "2024-01-02"\): is_trading_day must be 1 or 0, not "yes"$/,
  ],
  // The data field: the client refuses it before any row is used.
  [
    'garbage JSON in the data field',
    { fault: onQuery(replyWithData('{"record": [["2024-01-01", "1"]')) },
    'producer_0',
    /^BaoStock query_trade_dates page 1: data is not valid JSON \(/,
  ],
  [
    'JSON of the wrong shape in the data field',
    { fault: onQuery(replyWithData('{"record": [[20240101, 1]]}')) },
    'producer_0',
    /^BaoStock query_trade_dates page 1: data is not \{"record": \[\[string, \.\.\.\], \.\.\.\]\}: data\.record\[0\]\[0\]: /,
  ],
  [
    'a row with fewer values than columns',
    { fault: onQuery(replyWithData('{"record": [["2024-01-01"]]}')) },
    'producer_0',
    /^BaoStock query_trade_dates page 1: row 1 has 1 values, columns are calendar_date, is_trading_day$/,
  ],
  [
    'no calendar_date column',
    { calendar: GOOD, columns: ['date', 'is_trading_day'] },
    'producer_0',
    /^BaoStock query_trade_dates page 1: no calendar_date column \(columns: date, is_trading_day\)$/,
  ],
  // Frames: a protocol error (or, for a cut reply, the connection's), never a guess.
  [
    'a reply that is not a frame',
    { fault: onQuery({ kind: 'garbage' }) },
    'producer_0',
    /^BaoStock reply header is malformed: .*"HTTP\/1\.1 400/,
  ],
  [
    'a reply with a wrong CRC',
    { calendar: GOOD, fault: onQuery({ kind: 'bad-crc' }) },
    'producer_0',
    /^BaoStock reply CRC mismatch: the reply says \d+, its header and body give \d+$/,
  ],
  [
    'a reply followed by extra bytes',
    { calendar: GOOD, fault: onQuery({ kind: 'extra-bytes' }) },
    'producer_0',
    /^BaoStock sent \d+ unexpected bytes after a complete reply \(one reply per request is expected\)$/,
  ],
  [
    'a reply cut in half, then the connection closed',
    { calendar: GOOD, fault: onQuery({ kind: 'close-mid-reply' }) },
    'producer_0',
    /^BaoStock connection to 127\.0\.0\.1:\d+ was closed before the reply was complete/,
  ],
  [
    'a login refused by the service',
    {
      fault: (r) =>
        r.method === 'login'
          ? { kind: 'error', code: '10001002', message: '用户名或密码错误' }
          : undefined,
    },
    'producer_0',
    /^BaoStock login failed: error 10001002 \(用户名或密码错误\)$/,
  ],
  [
    'no reply at all',
    { fault: onQuery({ kind: 'stall' }) },
    'producer_0',
    /^BaoStock 127\.0\.0\.1:\d+ sent no complete reply within 300 ms \(0 bytes received\)$/,
  ],
];

const job = (endpoint: string, storagerArgs: Record<string, unknown> = {}) =>
  steps(
    [
      'producer_0',
      'BaoStockTradeDayProducer',
      '',
      {
        source: 'baostock',
        endpoint,
        from: FROM,
        to: TO,
        fallback: false,
        totalTimeoutMs: 10_000,
      },
    ],
    ['processor_0', 'BaoStockTradeDayProcessor', 'producer_0'],
    ['storager_0', 'BaoStockTradeDayStorager', 'processor_0', storagerArgs],
  );

/** The stored calendar of both targets, and their trade_day row counts. */
async function calendars(url: string): Promise<unknown> {
  return gql(
    url,
    `{ local: tradeDays(from: "2023-01-01", to: "2024-12-31") { date isTradingDay source }
       copy: tradeDays(from: "2023-01-01", to: "2024-12-31", target: "copy") { date isTradingDay source }
       storageTargets { name tables { table rows } } }`,
  ).then((data) => {
    const d = data as {
      storageTargets: { name: string; tables: { table: string; rows: number }[] }[];
    };
    return {
      ...d,
      storageTargets: d.storageTargets.map((t) => [
        t.name,
        t.tables.find((x) => x.table === 'trade_day')?.rows,
      ]),
    };
  });
}

describe('bad rows and frames from a BaoStock source', () => {
  let t: TestApp;
  let initial: unknown;
  // One fake per case, and a good one, each a configured endpoint (case0, case1, …, good).
  const fakes: FakeBaoStock[] = [];

  before(async () => {
    for (const [, options] of CASES) fakes.push(await startFakeBaoStock(options));
    fakes.push(await startFakeBaoStock({ calendar: GOOD }));
    const endpoint = (fake: FakeBaoStock) => ({
      host: fake.host,
      port: fake.port,
      responseTimeoutMs: 300,
    });
    t = await startHardeningApp({
      sources: {
        default: 'good',
        baostock: Object.fromEntries(
          fakes.map((fake, i) => [i < CASES.length ? `case${i}` : 'good', endpoint(fake)]),
        ),
      },
      storage: {
        control: 'local',
        sqlite: { local: { file: 'control.sqlite' }, copy: { file: 'copy.sqlite' } },
      },
    });
    // A stored calendar the bad runs must leave as it is (2023, from the offline calendar).
    const seeded = await submitJob(
      t.url,
      steps(
        [
          'producer_0',
          'BaoStockTradeDayProducer',
          '',
          { source: 'offline', from: '2023-12-01', to: '2024-01-31' },
        ],
        ['processor_0', 'BaoStockTradeDayProcessor', 'producer_0'],
        ['storager_0', 'BaoStockTradeDayStorager', 'processor_0'],
      ),
    );
    assert.equal((await waitForFinal(t.url, seeded)).status, 'FINISHED');
    initial = await calendars(t.url);
  });
  after(async () => {
    await t?.destroy();
    for (const fake of fakes) await fake.close();
  });

  CASES.forEach(([name, , step, message], i) => {
    it(`${name} → step ${step} fails: ${message}`, async () => {
      const done = await waitForFinal(t.url, await submitJob(t.url, job(`case${i}`)));
      assert.equal(done.status, 'FAILED');
      const prefix = `step "${step}" failed: `;
      const error = done.error ?? '';
      assert.ok(error.startsWith(prefix), `the job's error names the step: ${error}`);
      assert.match(error.slice(prefix.length), message);
      const byName = new Map(done.steps.map((s) => [s.name, s.status]));
      assert.equal(byName.get(step), 'FAILED');
      assert.equal(byName.get('storager_0'), 'SKIPPED', 'nothing reached the storager');
    });
  });

  it('afterwards no target holds a row more or less, and a good source still fills both', async () => {
    assert.deepEqual(await calendars(t.url), initial, 'nothing was written');
    const done = await waitForFinal(t.url, await submitJob(t.url, job('good')));
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const { copy } = await gql<{ copy: { date: string; source: string }[] }>(
      t.url,
      '{ copy: tradeDays(from: "2024-01-01", to: "2024-01-03", target: "copy") { date source } }',
    );
    assert.deepEqual(
      copy.map((d) => d.source),
      ['baostock', 'baostock', 'baostock'],
    );
  });
});
