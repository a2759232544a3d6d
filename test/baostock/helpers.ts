/** Shared by the BaoStock tests: captured frames, the reference calendar, and leak checks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeBaoStock } from '../support/baostock-fake-server.js';
import { sharedDataDir } from '../support/reference-data.js';

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
