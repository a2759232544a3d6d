import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FrameReader, encodeRequest } from '../../src/sources/baostock/index.js';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { assertNothingOpen, capture, referenceCalendar } from './helpers.js';
import { RawClient } from './raw-client.js';

/** A clock that returns the given China-time instants in turn. */
function pinnedClock(...instants: number[]): () => Date {
  return () => new Date(instants.shift() ?? 0);
}
const china = (
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number => Date.UTC(y, mo - 1, d, h - 8, mi, s, ms);

describe('fake BaoStock replies to captured requests', () => {
  let fake: FakeBaoStock;
  let client: RawClient;

  before(async () => {
    fake = await startFakeBaoStock({
      calendar: referenceCalendar(),
      clock: pinnedClock(china(2026, 4, 22, 16, 37, 59, 563), china(2026, 4, 22, 16, 38, 18, 112)),
    });
    client = await RawClient.open(fake.port);
  });

  after(async () => {
    await client.close();
    await assertNothingOpen(fake);
    await fake.close();
  });

  it('answers login/request.bin with login/response.bin byte for byte', async () => {
    assert.deepEqual(
      await client.exchange(capture('login', 'request.bin')),
      capture('login', 'response.bin'),
    );
  });

  it('answers query_trade_dates/request.bin with query_trade_dates/response.bin byte for byte', async () => {
    assert.deepEqual(
      await client.exchange(capture('query_trade_dates', 'request.bin')),
      capture('query_trade_dates', 'response.bin'),
    );
  });

  it('answers logout/request.bin with logout/response.bin byte for byte', async () => {
    assert.deepEqual(
      await client.exchange(capture('logout', 'request.bin')),
      capture('logout', 'response.bin'),
    );
  });

  it('recorded the three requests on one connection', () => {
    assert.deepEqual(
      fake.requests.map((r) => [r.connection, r.method, r.problem]),
      [
        [1, 'login', undefined],
        [1, 'query_trade_dates', undefined],
        [1, 'logout', undefined],
      ],
    );
    assert.deepEqual(fake.requests[0]?.raw, capture('login', 'request.bin'));
    assert.equal(fake.connectionsAccepted, 1);
  });
});

describe('fake BaoStock protocol rules', () => {
  it('reproduces the second captured login reply with its own clock', async () => {
    const fake = await startFakeBaoStock({
      clock: pinnedClock(china(2026, 4, 22, 16, 42, 58, 424)),
    });
    const client = await RawClient.open(fake.port);
    try {
      assert.deepEqual(
        await client.exchange(capture('login-second', 'request.bin')),
        capture('login-second', 'response.bin'),
      );
    } finally {
      await client.close();
      await assertNothingOpen(fake);
      await fake.close();
    }
  });

  it('refuses queries before login, unknown types and bad CRCs with 04 errors', async () => {
    const fake = await startFakeBaoStock({ calendar: referenceCalendar() });
    const client = await RawClient.open(fake.port);
    const read = (bytes: Buffer): string[] => {
      const reply = new FrameReader().push(bytes);
      assert.ok(reply);
      return [reply.type, ...reply.fields];
    };
    try {
      assert.deepEqual(read(await client.exchange(capture('query_trade_dates', 'request.bin'))), [
        '04',
        '10001001',
        '用户未登录',
      ]);
      const unknown = encodeRequest({
        version: '00.9.10',
        type: '75',
        fields: ['query_x', 'anonymous'],
      });
      assert.deepEqual(read(await client.exchange(unknown)), ['04', '10004020', '消息类型错误']);
      const badCrc = Buffer.from(capture('login', 'request.bin'));
      badCrc[badCrc.length - 2] = 0x30;
      assert.deepEqual(read(await client.exchange(badCrc)), ['04', '10004019', '消息格式错误']);
      assert.equal(fake.requests[2]?.problem, 'bad CRC');
    } finally {
      await client.close();
      await assertNothingOpen(fake);
      await fake.close();
    }
  });
});
