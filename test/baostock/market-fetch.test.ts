import assert from 'node:assert/strict';
import { setTimeout as pause } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { JobCancelledError } from '../../src/errors.js';
import { BaoStockEmptyReplyError } from '../../src/sources/baostock/errors.js';
import {
  fetchAdjustFactors,
  fetchDailyBars,
  fetchSecurities,
} from '../../src/sources/baostock/market-fetch.js';
import type { DailyBar } from '../../src/sources/baostock/market-rows.js';
import type { SecurityOutcome } from '../../src/sources/baostock/security-fetch.js';
import { BaoStockSessionPool } from '../../src/sources/baostock/session-pool.js';
import {
  startFakeBaoStock,
  type FakeBaoStock,
  type FakeBaoStockOptions,
  type FakeRequest,
} from '../support/baostock-fake-server.js';
import { isIndexCode } from '../support/baostock-fake-market.js';
import {
  assertNothingOpen,
  fakeEndpoint,
  fakeMarket,
  quickRetries,
  tradingDays,
} from './helpers.js';

const STOCKS = fakeMarket()
  .allStock('2024-01-02')
  .map(([code]) => code!)
  .filter((code) => !isIndexCode(code));
const CODES = STOCKS.slice(0, 30);
const JANUARY = tradingDays().filter((d) => d.startsWith('2024-01'));

async function withPool(
  options: FakeBaoStockOptions,
  sessions: number,
  body: (pool: BaoStockSessionPool, fake: FakeBaoStock) => Promise<void>,
): Promise<void> {
  const fake = await startFakeBaoStock({ market: fakeMarket(), ...options });
  const pool = new BaoStockSessionPool(fakeEndpoint(fake, { sessions }), {
    retryPolicy: quickRetries,
  });
  try {
    await body(pool, fake);
    await pool.close();
    await assertNothingOpen(fake);
  } finally {
    await pool.close();
    await fake.close();
  }
}

const kLinesOf = (code?: string) => (r: FakeRequest) =>
  r.method === 'query_history_k_data_plus' && (code === undefined || r.fields[4] === code);

async function collect<T>(fetch: AsyncIterable<SecurityOutcome<T>>) {
  const rows = new Map<string, T[]>();
  const failed = new Map<string, string>();
  for await (const outcome of fetch) {
    if (outcome.kind === 'rows') rows.set(outcome.code, outcome.rows);
    else failed.set(outcome.code, outcome.reason);
  }
  return { rows, failed };
}

describe('fetchDailyBars', () => {
  it('every security of the list, as it completes, on at most `sessions` connections', async () => {
    await withPool({}, 4, async (pool, fake) => {
      const fetch = fetchDailyBars(pool, { codes: CODES, from: '2024-01-01', to: '2024-01-31' });
      const seen: number[] = [];
      const rows = new Map<string, DailyBar[]>();
      for await (const outcome of fetch) {
        assert.equal(outcome.kind, 'rows');
        if (outcome.kind === 'rows') rows.set(outcome.code, outcome.rows);
        seen.push(outcome.progress.done);
        assert.equal(outcome.progress.total, 30);
      }
      assert.deepEqual(
        seen,
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.deepEqual([...rows.keys()].sort(), [...CODES].sort());
      for (const [code, bars] of rows) {
        assert.deepEqual(
          bars.map((b) => b.tradeDate),
          JANUARY,
        );
        assert.ok(bars.every((b) => b.code === code));
      }
      assert.deepEqual(fetch.failures, []);
      assert.equal(fake.connectionsAccepted, 4);
      assert.equal(pool.stats.logins, 4);
      assert.equal(fake.requests.filter(kLinesOf()).length, 30);
    });
  });

  it('a session dropped mid-reply is replaced and its security retried; the others are untouched', async () => {
    let dropped = false;
    const fault: FakeBaoStockOptions['fault'] = (r) => {
      if (dropped || !kLinesOf(CODES[3])(r)) return undefined;
      dropped = true;
      return { kind: 'close-mid-reply', reset: true };
    };
    await withPool({ fault }, 3, async (pool, fake) => {
      const { rows, failed } = await collect(
        fetchDailyBars(pool, { codes: CODES, from: '2024-01-01', to: '2024-01-31' }),
      );
      assert.equal(rows.size, 30);
      assert.equal(failed.size, 0);
      assert.equal(rows.get(CODES[3]!)!.length, JANUARY.length);
      assert.equal(fake.requests.filter(kLinesOf(CODES[3])).length, 2);
      assert.equal(pool.stats.dropped, 1);
      assert.equal(pool.stats.logins, 4);
      assert.equal(fake.requests.filter(kLinesOf()).length, 31);
    });
  });

  it('a security failing every time is reported with its reason while the others are returned', async () => {
    const fault: FakeBaoStockOptions['fault'] = (r) =>
      kLinesOf(CODES[5])(r) ? { kind: 'close-mid-reply' } : undefined;
    await withPool({ fault }, 3, async (pool, fake) => {
      const fetch = fetchDailyBars(pool, { codes: CODES, from: '2024-01-01', to: '2024-01-31' });
      const { rows, failed } = await collect(fetch);
      assert.equal(rows.size, 29);
      assert.deepEqual([...failed.keys()], [CODES[5]]);
      assert.match(failed.get(CODES[5]!)!, /closed before the reply was complete/);
      assert.deepEqual(
        fetch.failures.map((f) => f.code),
        [CODES[5]],
      );
      assert.deepEqual(fetch.progress, { done: 30, failed: 1, total: 30 });
      assert.equal(fake.requests.filter(kLinesOf(CODES[5])).length, quickRetries.attempts);
    });
  });

  it('an empty page where bars were expected is retried', async () => {
    let emptied = 0;
    const fault: FakeBaoStockOptions['fault'] = (r) =>
      kLinesOf(CODES[7])(r) && emptied++ < 2 ? { kind: 'empty-page' } : undefined;
    await withPool({ fault }, 2, async (pool, fake) => {
      const { rows, failed } = await collect(
        fetchDailyBars(pool, { codes: CODES.slice(0, 10), from: '2024-01-01', to: '2024-01-31' }),
      );
      assert.equal(failed.size, 0);
      assert.equal(rows.get(CODES[7]!)!.length, JANUARY.length);
      assert.equal(fake.requests.filter(kLinesOf(CODES[7])).length, 3);
      // An empty reply leaves the session usable: no new login.
      assert.equal(pool.stats.logins, 2);
    });
  });

  it('a slow consumer slows fetching: nothing new starts while it holds an outcome', async () => {
    await withPool({}, 2, async (pool, fake) => {
      const iterator = fetchDailyBars(pool, {
        codes: CODES.slice(0, 10),
        from: '2024-01-01',
        to: '2024-01-31',
      })[Symbol.asyncIterator]();
      const first = await iterator.next();
      assert.equal(first.done, false);
      // Give the other session every chance to finish and (wrongly) start more.
      await pause(100);
      assert.equal(fake.requests.filter(kLinesOf()).length, 2);
      let count = 1;
      while (!(await iterator.next()).done) count += 1;
      assert.equal(count, 10);
      assert.equal(fake.requests.filter(kLinesOf()).length, 10);
    });
  });

  it('leaving the loop early aborts and awaits what is in flight', async () => {
    await withPool({ replyDelayMs: (r) => (kLinesOf()(r) ? 20 : 0) }, 3, async (pool) => {
      let taken = 0;
      for await (const outcome of fetchDailyBars(pool, {
        codes: CODES,
        from: '2024-01-01',
        to: '2024-01-31',
      })) {
        assert.equal(outcome.kind, 'rows');
        if (++taken === 2) break;
      }
      assert.equal(taken, 2);
    });
  });

  it('aborting the signal ends the fetch with its reason', async () => {
    const controller = new AbortController();
    await withPool({ replyDelayMs: 5 }, 2, async (pool) => {
      const fetch = fetchDailyBars(pool, {
        codes: CODES,
        from: '2024-01-01',
        to: '2024-01-31',
        signal: controller.signal,
      });
      await assert.rejects(async () => {
        for await (const outcome of fetch) {
          if (outcome.progress.done === 3) controller.abort(new JobCancelledError('stop'));
        }
      }, JobCancelledError);
      assert.equal(fetch.progress.done, 3);
    });
  });
});

describe('fetchAdjustFactors', () => {
  it('factor rows per security; none is a normal answer', async () => {
    await withPool({}, 2, async (pool) => {
      const codes = CODES.slice(0, 8);
      const { rows, failed } = await collect(
        fetchAdjustFactors(pool, { codes, from: '2020-01-01', to: '2024-12-31' }),
      );
      assert.equal(failed.size, 0);
      for (const code of codes) {
        const expected = fakeMarket()
          .exDividendDates(code)
          .filter((d) => d >= '2020' && d <= '2024-12-31');
        assert.deepEqual(
          rows.get(code)!.map((r) => r.dividOperateDate),
          expected,
        );
      }
      const { rows: none } = await collect(
        fetchAdjustFactors(pool, { codes: [CODES[0]!], from: '2024-01-02', to: '2024-01-03' }),
      );
      assert.deepEqual(none.get(CODES[0]!), []);
    });
  });
});

describe('fetchSecurities', () => {
  it('the universe of a day, and stock_basic per code for the few not known', async () => {
    await withPool({}, 2, async (pool, fake) => {
      const known = new Set(STOCKS.slice(3));
      const unknownIndices = fakeMarket()
        .allStock('2024-01-02')
        .map(([code]) => code!)
        .filter(isIndexCode);
      for (const code of unknownIndices) known.add(code);
      const result = await fetchSecurities(pool, { day: '2024-01-02', knownCodes: known });
      assert.equal(result.universe.length, 5638);
      assert.deepEqual(result.securities.map((s) => s.code).sort(), STOCKS.slice(0, 3).sort());
      assert.deepEqual(result.failed, []);
      assert.equal(fake.requests.filter((r) => r.method === 'query_stock_basic').length, 3);
    });
  });

  it('with nothing known, one stock_basic of every security instead of 5,638 queries', async () => {
    await withPool({ maxRowsPerPage: 2000 }, 2, async (pool, fake) => {
      const result = await fetchSecurities(pool, { day: '2024-01-02' });
      assert.equal(result.securities.length, 5638);
      assert.equal(result.securities.filter((s) => s.type === 1).length, 5097);
      assert.equal(fake.requests.filter((r) => r.method === 'query_stock_basic').length, 3);
      assert.equal(fake.requests.filter((r) => r.method === 'query_all_stock').length, 3);
    });
  });

  it('an empty universe is "not published yet", retried and then an error', async () => {
    await withPool({}, 1, async (pool, fake) => {
      await assert.rejects(
        fetchSecurities(pool, { day: '2024-01-06' }),
        (e: unknown) => e instanceof BaoStockEmptyReplyError && /not published yet/.test(e.message),
      );
      assert.equal(fake.requests.filter((r) => r.method === 'query_all_stock').length, 3);
    });
  });
});
