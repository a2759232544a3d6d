/**
 * The shared reference data beside the repository (`../shared/data`, or FDA_SHARED_DATA_DIR): the
 * XSHG trading calendar and real BaoStock frames. A test oracle only: shipped code never reads it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const sharedDataDir =
  process.env.FDA_SHARED_DATA_DIR ??
  fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** A CSV of the shared data as rows of fields, the header checked and dropped. */
export function readReferenceCsv(file: string, header: string): string[][] {
  const [first, ...rows] = readFileSync(join(sharedDataDir, file), 'utf8').trimEnd().split('\n');
  assert.equal(first, header, `${file} has an unexpected header`);
  return rows.map((row) => row.split(','));
}

/** `xshg-trading-days.csv` as [date, flag] rows, ascending (1990-12-19 on). */
export function referenceCalendar(): Array<readonly [date: string, flag: string]> {
  return readReferenceCsv('xshg-trading-days.csv', 'calendar_date,is_trading_day').map(
    ([date = '', flag = '']) => [date, flag] as const,
  );
}

/** `xshg-trading-day-counts.csv`: trading days per year (1990 covers only 19–31 December). */
export function referenceYearCounts(): Array<{ year: number; count: number }> {
  return readReferenceCsv('xshg-trading-day-counts.csv', 'year,trading_days').map(
    ([year, count]) => ({ year: Number(year), count: Number(count) }),
  );
}
