/** Shared by the BaoStock tests: captured frames, the reference calendar, and leak checks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeBaoStock } from '../support/baostock-fake-server.js';
import { Secret } from '../../src/config/secret.js';
import type { BaoStockEndpoint } from '../../src/sources/baostock/endpoint.js';
import { createFakeMarket, type FakeMarket } from '../support/baostock-fake-market.js';
import { referenceCalendar as calendarRows, sharedDataDir } from '../support/reference-data.js';

export type CaptureName =
  | 'login'
  | 'login-second'
  | 'logout'
  | 'query_trade_dates'
  | 'query_history_k_data_plus'
  | 'query_all_stock'
  | 'query_stock_basic'
  | 'query_adjust_factor';

export function capture(name: CaptureName, file: 'request.bin' | 'response.bin'): Buffer {
  return readFileSync(join(sharedDataDir, 'baostock', name, file));
}

export { referenceCalendar } from '../support/reference-data.js';

function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
}

/** The fake has seen every connection close, and no TCP socket handle is left in this process. */
export async function assertNothingOpen(fake: FakeBaoStock): Promise<void> {
  await fake.waitForNoConnections();
  assert.equal(fake.openConnections, 0);
  assert.equal(
    openTcpSockets(),
    0,
    `TCP sockets still open: ${process.getActiveResourcesInfo().join(', ')}`,
  );
}

/** A port nothing listens on (it was free a moment ago). */
export { freePort as unusedPort } from '../support/mariadb-instance.js';
/** An endpoint of the fake, as conf/sources.json would give it. */
export function fakeEndpoint(
  fake: { host: string; port: number },
  extra: Partial<BaoStockEndpoint> = {},
): BaoStockEndpoint {
  return {
    name: 'fake',
    host: fake.host,
    port: fake.port,
    user: 'anonymous',
    password: new Secret('123456'),
    version: '00.9.10',
    sessions: 2,
    connectTimeoutMs: 5000,
    responseTimeoutMs: 5000,
    rowsPerPage: 10_000,
    ...extra,
  };
}

let market: FakeMarket | undefined;
let days: string[] | undefined;

/** The trading days of the reference calendar, ascending. */
export function tradingDays(): string[] {
  days ??= calendarRows()
    .filter(([, flag]) => flag === '1')
    .map(([date]) => date);
  return days;
}

/** One fake market (the captured universe on the reference calendar), shared by the tests. */
export function fakeMarket(): FakeMarket {
  market ??= createFakeMarket({ tradingDays: tradingDays() });
  return market;
}

/** Retries at once, so tests count attempts without waiting (they never assert times). */
export const quickRetries = { attempts: 3, firstDelayMs: 1, factor: 1, maxDelayMs: 1, jitter: 0 };
