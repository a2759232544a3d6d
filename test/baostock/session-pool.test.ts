import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, JobCancelledError, NotFoundError } from '../../src/errors.js';
import { BaoStockEndpoints } from '../../src/sources/baostock/endpoints.js';
import { BaoStockNetworkError, BaoStockServiceError } from '../../src/sources/baostock/errors.js';
import { queryAdjustFactors } from '../../src/sources/baostock/market-queries.js';
import { BaoStockSessionPool } from '../../src/sources/baostock/session-pool.js';
import { BaoStockSources } from '../../src/sources/baostock/sources.js';
import {
  startFakeBaoStock,
  type FakeBaoStock,
  type FakeBaoStockOptions,
  type FakeRequest,
} from '../support/baostock-fake-server.js';
import { assertNothingOpen, fakeEndpoint, fakeMarket, quickRetries } from './helpers.js';

const CODES = ['sh.600000', 'sh.600004', 'sh.600006', 'sh.600007', 'sh.600008', 'sh.600009'];

async function withFake(
  options: FakeBaoStockOptions,
  body: (fake: FakeBaoStock) => Promise<void>,
): Promise<void> {
  const fake = await startFakeBaoStock({ market: fakeMarket(), ...options });
  try {
    await body(fake);
    await assertNothingOpen(fake);
  } finally {
    await fake.close();
  }
}

const factors = (pool: BaoStockSessionPool, code: string, signal?: AbortSignal) =>
  pool.run(
    `factors ${code}`,
    (ctx) => queryAdjustFactors(ctx, { code, from: '2000-01-01', to: '2026-12-31' }),
    signal,
  );

const methodsOn = (requests: FakeRequest[], connection: number) =>
  requests.filter((r) => r.connection === connection).map((r) => r.method);

/** A fault for the first `times` requests that match. */
function faultTimes(
  times: number,
  matches: (r: FakeRequest) => boolean,
  fault: NonNullable<ReturnType<NonNullable<FakeBaoStockOptions['fault']>>>,
): FakeBaoStockOptions['fault'] {
  let left = times;
  return (r) => {
    if (!matches(r) || left <= 0) return undefined;
    left -= 1;
    return fault;
  };
}

const isFactorsOf = (code: string) => (r: FakeRequest) =>
  r.method === 'query_adjust_factor' && r.fields[4] === code;

describe('BaoStockSessionPool', () => {
  it('opens at most `sessions` sessions, logs each in once, reuses them, and logs out on close', async () => {
    await withFake({}, async (fake) => {
      const pool = new BaoStockSessionPool(fakeEndpoint(fake, { sessions: 3 }));
      const results = await Promise.all([...CODES, ...CODES].map((code) => factors(pool, code)));
      assert.deepEqual(
        results.map((rows) => rows.length),
        [...CODES, ...CODES].map(
          (code) =>
            fakeMarket()
              .exDividendDates(code)
              .filter((d) => d >= '2000').length,
        ),
      );
      assert.equal(fake.connectionsAccepted, 3);
      assert.equal(pool.stats.logins, 3);
      assert.equal(pool.openSessions, 3);
      await pool.close();
      assert.equal(pool.stats.logouts, 3);
      for (const connection of [1, 2, 3]) {
        const methods = methodsOn(fake.requests, connection);
        assert.equal(methods[0], 'login');
        assert.equal(methods.at(-1), 'logout');
        assert.equal(methods.filter((m) => m === 'login').length, 1);
      }
      assert.equal(fake.requests.filter((r) => r.method === 'query_adjust_factor').length, 12);
      await assert.rejects(factors(pool, 'sh.600000'), ConflictError);
    });
  });

  it('a session dropped mid-reply is replaced (a new login) and the query retried', async () => {
    const fault = faultTimes(1, isFactorsOf('sh.600004'), { kind: 'close-mid-reply' });
    await withFake({ fault }, async (fake) => {
      const pool = new BaoStockSessionPool(fakeEndpoint(fake, { sessions: 2 }), {
        retryPolicy: quickRetries,
      });
      const rows = await Promise.all(CODES.map((code) => factors(pool, code)));
      assert.deepEqual(
        rows[1]!.map((r) => r.code),
        fakeMarket()
          .exDividendDates('sh.600004')
          .filter((d) => d >= '2000')
          .map(() => 'sh.600004'),
      );
      assert.equal(pool.stats.dropped, 1);
      assert.equal(pool.stats.retries, 1);
      assert.equal(pool.stats.logins, 3);
      assert.equal(fake.requests.filter(isFactorsOf('sh.600004')).length, 2);
      await pool.close();
      assert.equal(pool.stats.logouts, 2);
    });
  });

  it('transient service errors are retried a bounded number of times, then reported', async () => {
    const fault = faultTimes(99, isFactorsOf('sh.600006'), {
      kind: 'error',
      code: '10002007',
      message: '网络接收错误',
    });
    await withFake({ fault }, async (fake) => {
      const pool = new BaoStockSessionPool(fakeEndpoint(fake, { sessions: 2 }), {
        retryPolicy: quickRetries,
      });
      await assert.rejects(
        factors(pool, 'sh.600006'),
        (e: unknown) => e instanceof BaoStockServiceError && e.serviceCode === '10002007',
      );
      assert.equal(fake.requests.filter(isFactorsOf('sh.600006')).length, 3);
      assert.equal(pool.stats.retries, 2);
      assert.equal((await factors(pool, 'sh.600000')).length > 0, true);
      await pool.close();
    });
  });

  it('a refusal that would repeat (invalid code) fails at once and keeps the session', async () => {
    const fault = faultTimes(99, isFactorsOf('sh.600007'), {
      kind: 'error',
      code: '10004011',
      message: '证券代码错误',
    });
    await withFake({ fault }, async (fake) => {
      const pool = new BaoStockSessionPool(fakeEndpoint(fake, { sessions: 1 }), {
        retryPolicy: quickRetries,
      });
      await assert.rejects(factors(pool, 'sh.600007'), BaoStockServiceError);
      await factors(pool, 'sh.600000');
      assert.equal(pool.stats.logins, 1);
      assert.equal(pool.stats.retries, 0);
      assert.equal(fake.connectionsAccepted, 1);
      await pool.close();
    });
  });

  it('a dead endpoint: every attempt fails to connect, and the error says so', async () => {
    const fake = await startFakeBaoStock({});
    const endpoint = fakeEndpoint(fake);
    await fake.close();
    const pool = new BaoStockSessionPool(endpoint, { retryPolicy: quickRetries });
    await assert.rejects(
      factors(pool, 'sh.600000'),
      (e: unknown) => e instanceof BaoStockNetworkError && e.failure === 'connect-failed',
    );
    assert.equal(pool.stats.retries, 2);
    assert.equal(pool.openSessions, 0);
    await pool.close();
  });

  it('aborting a query that waits for a reply drops its session and rejects with the reason', async () => {
    const fault = faultTimes(1, isFactorsOf('sh.600008'), { kind: 'stall' });
    await withFake({ fault }, async (fake) => {
      const pool = new BaoStockSessionPool(fakeEndpoint(fake, { sessions: 1 }), {
        retryPolicy: quickRetries,
      });
      const controller = new AbortController();
      const stalled = factors(pool, 'sh.600008', controller.signal);
      // A second query waits for the only session; it gets a fresh one once the first is dropped.
      const queued = factors(pool, 'sh.600000');
      while (!fake.requests.some(isFactorsOf('sh.600008')))
        await new Promise((r) => setImmediate(r));
      controller.abort(new JobCancelledError('test'));
      await assert.rejects(stalled, JobCancelledError);
      assert.ok((await queued).length > 0);
      assert.equal(pool.stats.dropped, 1);
      assert.equal(pool.stats.logins, 2);
      await pool.close();
    });
  });
});

describe('BaoStockSources', () => {
  it('makes one pool per endpoint on first use, and closes them all', async () => {
    await withFake({}, async (fake) => {
      const endpoints = new BaoStockEndpoints(
        [fakeEndpoint(fake, { name: 'a' }), fakeEndpoint(fake, { name: 'b', sessions: 1 })],
        'a',
      );
      const sources = new BaoStockSources(endpoints, { retryPolicy: quickRetries });
      assert.equal(sources.openPools().length, 0);
      assert.equal(sources.pool(), sources.pool('a'));
      assert.equal(sources.pool('b').size, 1);
      assert.throws(() => sources.pool('c'), NotFoundError);
      assert.equal(fake.connectionsAccepted, 0);
      await factors(sources.pool('a'), 'sh.600000');
      await factors(sources.pool('b'), 'sh.600000');
      await sources.close();
      assert.equal(fake.requests.filter((r) => r.method === 'logout').length, 2);
      assert.throws(() => sources.pool('a'), ConflictError);
    });
  });
});
