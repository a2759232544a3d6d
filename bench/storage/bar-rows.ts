/** Synthetic daily_bar rows for the storage benchmarks: deterministic, decimal strings as BaoStock sends them. */
import type { DailyBarRow } from '../../src/storage/upsert/index.js';

export const DAYS = 250;

export function bar(code: number, day: number): DailyBarRow {
  const price = `${10 + (code % 90)}.${String((day * 37) % 10_000).padStart(4, '0')}`;
  return {
    code: `sh.${String(600000 + code)}`,
    tradeDate: new Date(Date.UTC(2000, 0, 3) + day * 86_400_000).toISOString().slice(0, 10),
    open: price,
    high: price,
    low: price,
    close: price,
    preclose: price,
    volume: 1_000_000 + day,
    amount: `${123456789 + day}.1234`,
    turn: '0.123456',
    pctChg: '-1.5',
    tradeStatus: 1,
    isSt: false,
  };
}

/** `count` rows, `DAYS` per code. */
export function bars(count: number): DailyBarRow[] {
  return Array.from({ length: count }, (_, i) => bar(Math.floor(i / DAYS), i % DAYS));
}

/** The same rows with every tenth one's close changed. */
export function tenthChanged(rows: readonly DailyBarRow[]): DailyBarRow[] {
  return rows.map((r, i) => (i % 10 === 0 ? { ...r, close: '1.0001' } : r));
}

/** Rows made batch by batch, as a streaming producer would: never all in memory. */
export function* streamBars(count: number, batchRows: number): Generator<DailyBarRow[]> {
  for (let start = 0; start < count; start += batchRows) {
    const batch: DailyBarRow[] = [];
    for (let i = start; i < Math.min(count, start + batchRows); i++)
      batch.push(bar(Math.floor(i / DAYS), i % DAYS));
    yield batch;
  }
}
