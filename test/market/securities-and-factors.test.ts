import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
} from '../../src/sources/baostock/decimal.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { fakeMarket } from '../baostock/helpers.js';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { waitForJob } from '../support/jobs.js';
import { referenceCalendar } from '../support/reference-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';

const CODE = 'sh.600000';
const FROM = '2024-01-02';
const TO = '2025-12-31';

const step = (
  name: string,
  component: string,
  pre: string,
  args: Record<string, unknown> = {},
) => ({
  [name]: { component_class_name: component, pre_component_name: pre, component_arguments: args },
});

interface Bar {
  tradeDate: string;
  open: string;
  close: string;
}

describe('securities, adjustment factors and adjusted prices', () => {
  let fake: FakeBaoStock;
  let t: TestApp;

  before(async () => {
    fake = await startFakeBaoStock({ market: fakeMarket() });
    t = await startTestApp({
      sources: { default: 'fake', baostock: { fake: { host: fake.host, port: fake.port } } },
    });
    const rows = referenceCalendar()
      .filter(([d]) => d >= '2024-01-01' && d <= '2025-12-31')
      .map(([d, flag]) => ({ calendarDate: d, isTradingDay: flag === '1', source: 'test' }));
    await upsertRows([t.app.targets.control()], tradeDayTable, rows);
  });
  after(async () => {
    await t?.destroy();
    await fake?.close();
  });

  const run = async (pipeline: Record<string, unknown>, partition: string | null = null) => {
    const result = await t.app.executor.submit(
      { document: { pipeline_structure: pipeline } },
      { partition },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const job = await waitForJob(t.app, result.job.id, 120_000);
    assert.equal(job.status, 'FINISHED', job.error ?? '');
    return job;
  };

  it('stores the securities of a day with their listing facts, and answers securities and security', async () => {
    await run(
      {
        ...step('list', 'BaoStockSecurityProducer', ''),
        ...step('store', 'SecurityStorager', 'list'),
      },
      FROM,
    );
    const answer = await gql<{
      all: { nodes: unknown[]; hasNextPage: boolean };
      page: { nodes: Array<{ code: string }>; endCursor: string };
      next: { nodes: Array<{ code: string }> };
      one: { code: string; name: string; type: number; status: number; ipoDate: string | null };
      none: null;
    }>(
      t.url,
      `{ all: securities(first: 1000, filter: { type: 1 }) { nodes { code } hasNextPage }
         page: securities(first: 2) { nodes { code } endCursor }
         next: securities(first: 2, after: "sh.000002") { nodes { code } }
         one: security(code: "${CODE}") { code name type status ipoDate }
         none: security(code: "sh.999999") { code } }`,
    );
    assert.equal(answer.all.nodes.length, 1000);
    assert.equal(answer.all.hasNextPage, true);
    assert.equal(answer.next.nodes.length, 2);
    assert.ok(answer.next.nodes.every((n) => n.code > 'sh.000002'));
    assert.equal(answer.page.endCursor, answer.page.nodes[1]!.code);
    assert.equal(answer.one.code, CODE);
    assert.equal(answer.one.type, 1);
    assert.equal(answer.none, null);
  });

  it('adjusts prices backward and forward from the stored factors, and two ranges stitch into the whole', async () => {
    await run({
      ...step('factors', 'BaoStockAdjustFactorProducer', '', { codes: [CODE], to: TO }),
      ...step('store', 'AdjustFactorStorager', 'factors'),
      ...step('bars', 'BaoStockDailyBarProducer', '', { codes: [CODE], from: FROM, to: TO }),
      ...step('check', 'DailyBarProcessor', 'bars'),
      ...step('storeBars', 'DailyBarStorager', 'check'),
    });
    const factors = fakeMarket().adjustFactors(CODE, '1990-01-01', TO);
    const exDates = factors.map((f) => f[1]!).filter((d) => d >= FROM);
    assert.ok(exDates.length >= 2, `two ex-dividend dates in range: ${exDates.join()}`);

    const bars = async (from: string, to: string, adjust: string) =>
      (
        await gql<{ dailyBars: Bar[] }>(
          t.url,
          `{ dailyBars(code: "${CODE}", from: "${from}", to: "${to}", adjust: ${adjust}) { tradeDate open close } }`,
        )
      ).dailyBars;
    const raw = await bars(FROM, TO, 'NONE');
    const back = await bars(FROM, TO, 'BACKWARD');
    const fore = await bars(FROM, TO, 'FORWARD');
    assert.equal(raw.length, back.length);

    // By hand: a day's factors are those of the last factor row dated on or before it (BaoStock's
    // fore factors are relative to its latest back factor, so FORWARD needs no other anchor).
    const rowOn = (day: string) => factors.filter((f) => f[1]! <= day).at(-1)!;
    const times = (price: string, factor: string) =>
      formatDecimal(multiplyDecimals(parseDecimal(price)!, parseDecimal(factor)!));
    const firstEx = raw.findIndex((b) => b.tradeDate >= exDates[0]!);
    for (const i of [firstEx, Math.floor(raw.length / 2), raw.length - 1]) {
      const day = raw[i]!.tradeDate;
      assert.equal(back[i]!.close, times(raw[i]!.close, rowOn(day)[3]!), `BACKWARD ${day}`);
      assert.equal(fore[i]!.close, times(raw[i]!.close, rowOn(day)[2]!), `FORWARD ${day}`);
    }

    for (const mode of ['FORWARD', 'BACKWARD']) {
      const whole = await bars(FROM, TO, mode);
      const pieces = [
        ...(await bars(FROM, '2024-12-31', mode)),
        ...(await bars('2025-01-01', TO, mode)),
      ];
      assert.deepEqual(pieces, whole, `${mode}: two ranges stitch into the whole`);
    }
  });
});
