import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareDecimals, parseDecimal } from '../../src/sources/baostock/decimal.js';
import {
  queryAdjustFactors,
  queryAllStock,
  queryDailyBars,
  queryStockBasic,
  type QueryContext,
} from '../../src/sources/baostock/market-queries.js';
import { BaoStockSession } from '../../src/sources/baostock/session.js';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { assertNothingOpen, capture, fakeMarket, tradingDays } from './helpers.js';
import { RawClient } from './raw-client.js';

const dec = (s: string | null) => parseDecimal(s ?? '') ?? assert.fail(`not a decimal: ${s}`);

describe('fake BaoStock market: captured replies byte for byte', () => {
  let fake: FakeBaoStock;
  let client: RawClient;

  before(async () => {
    fake = await startFakeBaoStock({ market: fakeMarket() });
    client = await RawClient.open(fake.port);
    await client.exchange(capture('login', 'request.bin'));
  });

  after(async () => {
    await client.close();
    await assertNothingOpen(fake);
    await fake.close();
  });

  it('answers query_all_stock/request.bin with query_all_stock/response.bin', async () => {
    assert.deepEqual(
      await client.exchange(capture('query_all_stock', 'request.bin')),
      capture('query_all_stock', 'response.bin'),
    );
  });

  it('answers query_stock_basic/request.bin with query_stock_basic/response.bin', async () => {
    assert.deepEqual(
      await client.exchange(capture('query_stock_basic', 'request.bin')),
      capture('query_stock_basic', 'response.bin'),
    );
  });
});

describe('fake BaoStock market: synthetic bars and factors', () => {
  let fake: FakeBaoStock;
  let session: BaoStockSession;
  let ctx: QueryContext;
  const codes = fakeMarket()
    .allStock('2024-01-02')
    .map(([code]) => code!)
    .filter((c) => !c.startsWith('sh.000') && !c.startsWith('sz.399'))
    .slice(0, 40);

  before(async () => {
    fake = await startFakeBaoStock({ market: fakeMarket(), maxRowsPerPage: 100 });
    session = new BaoStockSession({
      host: fake.host,
      port: fake.port,
      version: '00.9.10',
      user: 'anonymous',
      password: '123456',
      connectTimeoutMs: 5000,
      responseTimeoutMs: 5000,
    });
    await session.login();
    ctx = { session, version: '00.9.10', user: 'anonymous', rowsPerPage: 10_000 };
  });

  after(async () => {
    await session.logout();
    await session.close();
    await assertNothingOpen(fake);
    await fake.close();
  });

  it('serves the universe on trading days only, paged by the fake cap of 100 rows', async () => {
    const before = fake.requests.length;
    assert.equal((await queryAllStock(ctx, '2024-01-02')).length, 5638);
    assert.equal(fake.requests.length - before, 57); // 56 full pages and one of 38 rows
    assert.deepEqual(await queryAllStock(ctx, '2024-01-06'), []);
  });

  it('stock_basic of every security (no code) and of one', async () => {
    const all = await queryStockBasic(ctx);
    assert.equal(all.length, 5638);
    assert.equal(all.filter((s) => s.type === 1).length, 5097);
    assert.deepEqual(await queryStockBasic(ctx, 'sh.600000'), [
      {
        code: 'sh.600000',
        name: '浦发银行',
        ipoDate: '1999-11-10',
        outDate: null,
        type: 1,
        status: 1,
      },
    ]);
  });

  it('bars of 2023: one per trading day, OHLC consistent, suspensions and ST flags, the same every time', async () => {
    const days2023 = tradingDays().filter((d) => d.startsWith('2023'));
    let suspended = 0;
    let st = 0;
    for (const code of codes) {
      const bars = await queryDailyBars(ctx, { code, from: '2023-01-01', to: '2023-12-31' });
      assert.deepEqual(
        bars.map((b) => b.tradeDate),
        days2023,
      );
      for (const b of bars) {
        if (b.tradeStatus === 0) {
          suspended += 1;
          assert.equal(b.volume, 0);
          assert.equal(b.pctChg, null);
          continue;
        }
        const [open, high, low, close] = [dec(b.open), dec(b.high), dec(b.low), dec(b.close)];
        assert.ok(
          compareDecimals(low, open) <= 0 && compareDecimals(low, close) <= 0,
          `${code} ${b.tradeDate} low`,
        );
        assert.ok(
          compareDecimals(high, open) >= 0 && compareDecimals(high, close) >= 0,
          `${code} ${b.tradeDate} high`,
        );
        assert.ok(b.volume! > 0);
      }
      if (bars[0]!.isSt) st += 1;
    }
    assert.ok(suspended > 0, 'some suspended days');
    assert.ok(st > 0 && st < codes.length, `some ST codes (${st})`);
    const again = await queryDailyBars(ctx, {
      code: codes[0]!,
      from: '2023-06-01',
      to: '2023-06-30',
    });
    const whole = await queryDailyBars(ctx, {
      code: codes[0]!,
      from: '2023-01-01',
      to: '2023-12-31',
    });
    assert.deepEqual(
      again,
      whole.filter((b) => b.tradeDate.startsWith('2023-06')),
    );
  });

  it('factors: a few ex-dividend dates a year, back factors rising, the latest fore factor 1', async () => {
    for (const code of codes.slice(0, 10)) {
      const rows = await queryAdjustFactors(ctx, { code, from: '1990-01-01', to: '2026-12-31' });
      assert.ok(rows.length >= 5 && rows.length <= 27, `${code}: ${rows.length} rows`);
      assert.deepEqual(
        rows.map((r) => r.dividOperateDate),
        fakeMarket().exDividendDates(code),
      );
      for (let i = 1; i < rows.length; i++)
        assert.ok(
          compareDecimals(dec(rows[i]!.backAdjustFactor), dec(rows[i - 1]!.backAdjustFactor)) > 0,
        );
      assert.equal(rows.at(-1)!.foreAdjustFactor, '1');
      const in2023 = await queryAdjustFactors(ctx, { code, from: '2023-01-01', to: '2023-12-31' });
      assert.deepEqual(
        in2023,
        rows.filter((r) => r.dividOperateDate.startsWith('2023')),
      );
    }
  });
});
