/** Shared by the BaoStock tests: captured frames, the reference calendar, and leak checks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FakeBaoStock, FakeCalendarRow } from '../support/baostock-fake-server.js';

/** `../shared/data` beside the repository, or `FDA_SHARED_DATA_DIR`. */
const sharedData = process.env.FDA_SHARED_DATA_DIR ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export type CaptureName = 'login' | 'login-second' | 'logout' | 'query_trade_dates' | 'query_history_k_data_plus';

export function capture(name: CaptureName, file: 'request.bin' | 'response.bin'): Buffer {
  return readFileSync(join(sharedData, 'baostock', name, file));
}

/** `xshg-trading-days.csv` as [date, flag] rows, ascending. */
export function referenceCalendar(): FakeCalendarRow[] {
  const lines = readFileSync(join(sharedData, 'xshg-trading-days.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'calendar_date,is_trading_day');
  return lines.slice(1).map((line) => {
    const [date = '', flag = ''] = line.split(',');
    return [date, flag] as const;
  });
}

function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
}

/** The fake has seen every connection close, and no TCP socket handle is left in this process. */
export async function assertNothingOpen(fake: FakeBaoStock): Promise<void> {
  await fake.waitForNoConnections();
  assert.equal(fake.openConnections, 0);
  assert.equal(openTcpSockets(), 0, `TCP sockets still open: ${process.getActiveResourcesInfo().join(', ')}`);
}

/** A port nothing listens on (it was free a moment ago). */
export async function unusedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
