import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { JobCancelledError, ValidationError } from '../../src/errors.js';
import {
  BaoStockNetworkError,
  BaoStockProtocolError,
  BaoStockServiceError,
  fetchTradeDates,
  type TradeDateQuery,
} from '../../src/sources/baostock/index.js';
import {
  startFakeBaoStock,
  type FakeBaoStock,
  type FakeBaoStockOptions,
  type FakeRequest,
} from '../support/baostock-fake-server.js';
import { assertNothingOpen, referenceCalendar, unusedPort } from './helpers.js';

const calendar = referenceCalendar();
const asRows = (rows: readonly (readonly [string, string])[]) =>
  rows.map(([calendarDate, isTradingDay]) => ({ calendarDate, isTradingDay }));
const between = (from: string, to: string) => calendar.filter(([d]) => d >= from && d <= to);

/** Runs `body` against a fresh fake and always checks that nothing was left open. */
async function withFake(
  options: FakeBaoStockOptions,
  body: (fake: FakeBaoStock) => Promise<void>,
): Promise<void> {
  const fake = await startFakeBaoStock({ calendar, ...options });
  try {
    await body(fake);
    await assertNothingOpen(fake);
  } finally {
    await fake.close();
  }
}

function query(fake: FakeBaoStock, extra: Partial<TradeDateQuery> = {}): TradeDateQuery {
  return { host: fake.host, port: fake.port, from: '2024-01-01', to: '2024-01-31', ...extra };
}

/** A pino logger whose lines land in an array. */
function capturingLogger() {
  const lines: { level: number; msg: string; page?: number }[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) },
  );
  return {
    logger,
    warnings: () => lines.filter((l) => l.level === 40),
    debug: () => lines.filter((l) => l.level === 20),
  };
}

const summary = (requests: FakeRequest[]) =>
  requests.map((r) =>
    r.method === 'query_trade_dates'
      ? `${r.connection}:page ${r.fields[2]}`
      : `${r.connection}:${r.method}`,
  );

const onQuery =
  (fault: FakeBaoStockOptions['fault']): FakeBaoStockOptions['fault'] =>
  (r) =>
    r.method === 'query_trade_dates' ? fault?.(r) : undefined;

describe('fetchTradeDates paging', () => {
  it('reads the whole calendar 1000 rows a page: 13,162 rows equal to the CSV in 14 page requests', async () => {
    await withFake({}, async (fake) => {
      const { logger, debug } = capturingLogger();
      const result = await fetchTradeDates(
        query(fake, { from: '1990-12-19', to: '2026-12-31', rowsPerPage: 1000, logger }),
      );
      assert.equal(result.rows.length, 13_162);
      assert.deepEqual(result.rows, asRows(calendar));
      assert.equal(result.rows.filter((r) => r.isTradingDay === '1').length, 8797);
      assert.equal(result.pages, 14);
      assert.deepEqual(result.columns, ['calendar_date', 'is_trading_day']);
      const pages = fake.requests.filter((r) => r.method === 'query_trade_dates');
      assert.deepEqual(
        pages.map((r) => r.fields[2]),
        Array.from({ length: 14 }, (_, i) => String(i + 1)),
      );
      assert.ok(
        pages.every(
          (r) =>
            r.fields[3] === '1000' && r.fields[4] === '1990-12-19' && r.fields[5] === '2026-12-31',
        ),
      );
      assert.deepEqual(
        fake.requests.map((r) => r.method).filter((m) => m !== 'query_trade_dates'),
        ['login', 'logout'],
      );
      assert.equal(fake.connectionsAccepted, 1);
      assert.equal(debug().length, 14);
    });
  });

  it('uses the defaults (10,000 rows a page, version 00.9.10, anonymous)', async () => {
    await withFake({}, async (fake) => {
      const result = await fetchTradeDates(query(fake, { from: '1990-12-19', to: '2026-12-31' }));
      assert.equal(result.rows.length, 13_162);
      assert.equal(result.pages, 2);
      const [login, page1] = fake.requests;
      assert.deepEqual(login?.fields, ['login', 'anonymous', '123456', '0']);
      assert.equal(login?.version, '00.9.10');
      assert.equal(page1?.fields[3], '10000');
    });
  });

  for (const emptyData of ['record', 'empty'] as const) {
    it(`stops at an empty page after full ones (empty page sent as ${emptyData === 'record' ? '{"record":[]}' : 'an empty field'})`, async () => {
      const first2000 = calendar.slice(0, 2000);
      await withFake({ calendar: first2000, emptyData }, async (fake) => {
        const result = await fetchTradeDates(
          query(fake, { from: '1990-01-01', to: '2030-12-31', rowsPerPage: 1000 }),
        );
        assert.deepEqual(result.rows, asRows(first2000));
        assert.equal(result.pages, 3);
      });
    });
  }

  it('follows the per-page value the server echoes when it serves fewer rows than asked', async () => {
    await withFake({ maxRowsPerPage: 500 }, async (fake) => {
      const result = await fetchTradeDates(
        query(fake, { from: '1990-12-19', to: '2026-12-31', rowsPerPage: 1000 }),
      );
      assert.deepEqual(result.rows, asRows(calendar));
      assert.equal(result.pages, 27);
    });
  });

  it('returns no rows for a range past the published calendar', async () => {
    await withFake({}, async (fake) => {
      const result = await fetchTradeDates(query(fake, { from: '2027-01-01', to: '2027-12-31' }));
      assert.deepEqual(result, {
        rows: [],
        pages: 1,
        columns: ['calendar_date', 'is_trading_day'],
      });
    });
  });

  it('maps rows by column name when the server reorders its columns', async () => {
    await withFake({ columns: ['is_trading_day', 'calendar_date'] }, async (fake) => {
      const result = await fetchTradeDates(query(fake));
      assert.deepEqual(result.columns, ['is_trading_day', 'calendar_date']);
      assert.deepEqual(result.rows, asRows(between('2024-01-01', '2024-01-31')));
    });
  });

  it('reads compressed replies', async () => {
    await withFake({ compress: true }, async (fake) => {
      const result = await fetchTradeDates(query(fake, { rowsPerPage: 10 }));
      assert.deepEqual(result.rows, asRows(between('2024-01-01', '2024-01-31')));
      assert.equal(result.pages, 4);
    });
  });

  it('reads replies dribbled a few bytes at a time, with multi-byte UTF-8 text', async () => {
    await withFake({ dribbleBytes: 3, successMessage: '成功 ✓ 𝄞' }, async (fake) => {
      const result = await fetchTradeDates(query(fake));
      assert.deepEqual(result.rows, asRows(between('2024-01-01', '2024-01-31')));
    });
  });
});

describe('fetchTradeDates service errors', () => {
  for (const replyType of ['04', '01']) {
    it(`fails with the service's code and text when login is refused (reply type ${replyType})`, async () => {
      const fault: FakeBaoStockOptions['fault'] = (r) =>
        r.method === 'login'
          ? { kind: 'error', code: '10001002', message: '用户名或密码错误', replyType }
          : undefined;
      await withFake({ fault }, async (fake) => {
        await assert.rejects(fetchTradeDates(query(fake)), (error: unknown) => {
          assert.ok(error instanceof BaoStockServiceError);
          assert.equal(error.serviceCode, '10001002');
          assert.equal(error.serviceMessage, '用户名或密码错误');
          assert.equal(error.code, 'BAOSTOCK_SERVICE');
          assert.equal(error.message, 'BaoStock login failed: error 10001002 (用户名或密码错误)');
          return true;
        });
        assert.deepEqual(summary(fake.requests), ['1:login']);
      });
    });
  }

  it('fails the whole query on an error page, without logging out', async () => {
    const fault = onQuery((r) =>
      r.fields[2] === '2' ? { kind: 'error', code: '10004006', message: '参数错误' } : undefined,
    );
    await withFake({ fault }, async (fake) => {
      await assert.rejects(fetchTradeDates(query(fake, { rowsPerPage: 10 })), {
        name: 'BaoStockServiceError',
        message: 'BaoStock query_trade_dates page 2 failed: error 10004006 (参数错误)',
      });
      assert.deepEqual(summary(fake.requests), ['1:login', '1:page 1', '1:page 2']);
    });
  });

  it('keeps the result when only the logout is refused, with a warning', async () => {
    const fault: FakeBaoStockOptions['fault'] = (r) =>
      r.method === 'logout' ? { kind: 'error', code: '10001010', message: '登出失败' } : undefined;
    await withFake({ fault }, async (fake) => {
      const { logger, warnings } = capturingLogger();
      const result = await fetchTradeDates(query(fake, { logger }));
      assert.equal(result.rows.length, 31);
      assert.equal(warnings().length, 1);
    });
  });
});

describe('fetchTradeDates broken connections and bad bytes', () => {
  for (const reset of [false, true]) {
    it(`reconnects, logs in again and retries once when the server ${reset ? 'resets' : 'closes'} mid-reply`, async () => {
      let closes = 0;
      const fault = onQuery((r) =>
        r.fields[2] === '2' && closes++ === 0 ? { kind: 'close-mid-reply', reset } : undefined,
      );
      await withFake({ fault }, async (fake) => {
        const { logger, warnings } = capturingLogger();
        const result = await fetchTradeDates(query(fake, { rowsPerPage: 10, logger }));
        assert.deepEqual(result.rows, asRows(between('2024-01-01', '2024-01-31')));
        assert.deepEqual(summary(fake.requests), [
          '1:login',
          '1:page 1',
          '1:page 2',
          '2:login',
          '2:page 2',
          '2:page 3',
          '2:page 4',
          '2:logout',
        ]);
        assert.equal(warnings().length, 1);
      });
    });
  }

  it('fails with a network error naming host:port when the connection breaks a second time', async () => {
    await withFake({ fault: onQuery(() => ({ kind: 'close-mid-reply' })) }, async (fake) => {
      await assert.rejects(fetchTradeDates(query(fake)), (error: unknown) => {
        assert.ok(error instanceof BaoStockNetworkError);
        assert.equal(error.failure, 'connection-closed');
        assert.equal(error.endpoint, `127.0.0.1:${fake.port}`);
        assert.match(
          error.message,
          new RegExp(
            `connection to 127\\.0\\.0\\.1:${fake.port} was closed before the reply was complete`,
          ),
        );
        return true;
      });
      assert.deepEqual(summary(fake.requests), ['1:login', '1:page 1', '2:login', '2:page 1']);
    });
  });

  it('retries a login whose connection closes without a reply', async () => {
    let closes = 0;
    const fault: FakeBaoStockOptions['fault'] = (r) =>
      r.method === 'login' && closes++ === 0 ? { kind: 'close' } : undefined;
    await withFake({ fault }, async (fake) => {
      const result = await fetchTradeDates(query(fake));
      assert.equal(result.rows.length, 31);
      assert.equal(fake.connectionsAccepted, 2);
    });
  });

  it('fails with a protocol error on a garbage reply, without retrying', async () => {
    await withFake({ fault: onQuery(() => ({ kind: 'garbage' })) }, async (fake) => {
      await assert.rejects(fetchTradeDates(query(fake)), (error: unknown) => {
        assert.ok(error instanceof BaoStockProtocolError);
        assert.match(error.message, /reply header is malformed: byte 7 is 0x31.*"HTTP\/1\.1 400/);
        return true;
      });
      assert.equal(fake.connectionsAccepted, 1);
    });
  });

  it('fails with a protocol error on a CRC mismatch', async () => {
    await withFake({ fault: onQuery(() => ({ kind: 'bad-crc' })) }, async (fake) => {
      await assert.rejects(fetchTradeDates(query(fake)), {
        name: 'BaoStockProtocolError',
        message: /CRC mismatch/,
      });
    });
  });

  it('fails with a protocol error when a second reply follows the first', async () => {
    await withFake({ fault: onQuery(() => ({ kind: 'extra-bytes' })) }, async (fake) => {
      await assert.rejects(fetchTradeDates(query(fake)), {
        name: 'BaoStockProtocolError',
        message: /unexpected bytes after a complete reply/,
      });
    });
  });

  it('fails with a network error when nothing listens', async () => {
    const port = await unusedPort();
    await assert.rejects(
      fetchTradeDates({ host: '127.0.0.1', port, from: '2024-01-01', to: '2024-01-31' }),
      (error: unknown) => {
        assert.ok(error instanceof BaoStockNetworkError);
        assert.equal(error.failure, 'connect-failed');
        assert.match(
          error.message,
          new RegExp(`connect to 127\\.0\\.0\\.1:${port} failed: ECONNREFUSED`),
        );
        return true;
      },
    );
  });
});

describe('fetchTradeDates timeouts and cancellation', () => {
  it('fails with a reply timeout when the server never answers', async () => {
    await withFake({ fault: onQuery(() => ({ kind: 'stall' })) }, async (fake) => {
      await assert.rejects(
        fetchTradeDates(query(fake, { responseTimeoutMs: 200 })),
        (error: unknown) => {
          assert.ok(error instanceof BaoStockNetworkError);
          assert.equal(error.failure, 'reply-timeout');
          assert.equal(
            error.message,
            `BaoStock 127.0.0.1:${fake.port} sent no complete reply within 200 ms (0 bytes received)`,
          );
          return true;
        },
      );
      assert.equal(fake.connectionsAccepted, 1);
    });
  });

  it('fails with a query timeout when the whole query takes too long', async () => {
    await withFake({ fault: onQuery(() => ({ kind: 'stall' })) }, async (fake) => {
      await assert.rejects(
        fetchTradeDates(query(fake, { totalTimeoutMs: 200 })),
        (error: unknown) => {
          assert.ok(error instanceof BaoStockNetworkError);
          assert.equal(error.failure, 'query-timeout');
          assert.match(
            error.message,
            new RegExp(`127\\.0\\.0\\.1:${fake.port} did not finish within 200 ms`),
          );
          return true;
        },
      );
    });
  });

  it('rejects with the abort reason while the server stalls, and closes the socket', async () => {
    const controller = new AbortController();
    const reason = new JobCancelledError('cancelled by test');
    // Abort once the server holds the page request, i.e. while the client waits for a reply.
    const fault = onQuery(() => {
      setImmediate(() => controller.abort(reason));
      return { kind: 'stall' };
    });
    await withFake({ fault }, async (fake) => {
      const pending = fetchTradeDates(
        query(fake, {
          signal: controller.signal,
          responseTimeoutMs: 600_000,
          totalTimeoutMs: 600_000,
        }),
      );
      await assert.rejects(pending, (error: unknown) => error === reason);
      assert.deepEqual(summary(fake.requests), ['1:login', '1:page 1']);
    });
  });

  it('rejects at once with the reason of an already aborted signal, without connecting', async () => {
    await withFake({}, async (fake) => {
      const reason = new JobCancelledError('shutdown');
      await assert.rejects(
        fetchTradeDates(query(fake, { signal: AbortSignal.abort(reason) })),
        (error: unknown) => error === reason,
      );
      assert.equal(fake.connectionsAccepted, 0);
    });
  });

  it('turns a non-Error abort reason into a JobCancelledError', async () => {
    const controller = new AbortController();
    const fault = onQuery(() => {
      setImmediate(() => controller.abort('user pressed stop'));
      return { kind: 'stall' };
    });
    await withFake({ fault }, async (fake) => {
      const pending = fetchTradeDates(query(fake, { signal: controller.signal }));
      await assert.rejects(pending, {
        name: 'JobCancelledError',
        message: 'cancelled: user pressed stop',
      });
    });
  });
});

describe('fetchTradeDates input checks', () => {
  it('refuses bad dates and options with a ValidationError naming the field', async () => {
    await assert.rejects(
      fetchTradeDates({ from: '2024-13-01', to: '2024-12-31' }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.match(error.message, /from: must be a date written YYYY-MM-DD/);
        return true;
      },
    );
    await assert.rejects(
      fetchTradeDates({ from: '2024-02-01', to: '2024-01-01' }),
      /to: must not be before from/,
    );
    await assert.rejects(
      fetchTradeDates({ from: '2024-01-01', to: '2024-01-02', rowsPerPage: 0 }),
      /rowsPerPage/,
    );
    await assert.rejects(
      fetchTradeDates({ from: '2024-01-01', to: '2024-01-02', version: '0.9' }),
      /version: must be 7 printable/,
    );
    await assert.rejects(
      fetchTradeDates({ from: '2024-01-01', to: '2024-01-02', user: 'a\x01b' }),
      /user: must not contain/,
    );
  });
});
