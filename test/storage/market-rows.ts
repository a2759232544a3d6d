/** Daily bars and securities for the bulk-load tests, and reading them back as the server holds them. */
import type mysql from 'mysql2/promise';
import type { DailyBarRow, SecurityRow } from '../../src/storage/upsert/index.js';

/** `codes × days` bars in key order, every value a function of its place, so a change is easy to make. */
export function dailyBars(codes: number, days: number, version = 0): DailyBarRow[] {
  const rows: DailyBarRow[] = [];
  for (let c = 0; c < codes; c++) {
    const code = `sh.${String(600000 + c)}`;
    for (let d = 0; d < days; d++) {
      const price = `${10 + (c % 90)}.${String((d * 37 + version) % 10_000).padStart(4, '0')}`;
      rows.push({
        code,
        tradeDate: new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10),
        open: price,
        high: price,
        low: price,
        close: price,
        preclose: price,
        volume: 1_000_000 + d,
        amount: `${123456789 + d}.1234`,
        turn: '0.123456',
        pctChg: d % 7 === 0 ? null : '-1.5',
        tradeStatus: 1,
        isSt: d % 11 === 0,
      });
    }
  }
  return rows;
}

/** Every daily_bar row, every column as the server returns it (decimals as strings), by key. */
export async function storedBars(c: mysql.Connection): Promise<Array<Record<string, unknown>>> {
  const [rows] = await c.query<mysql.RowDataPacket[]>({
    sql: 'SELECT * FROM daily_bar ORDER BY code, trade_date',
    dateStrings: true,
  });
  return rows.map((r) => ({ ...r }));
}

export async function storedSecurities(
  c: mysql.Connection,
): Promise<Array<Record<string, unknown>>> {
  const [rows] = await c.query<mysql.RowDataPacket[]>({
    sql: 'SELECT code, HEX(name) AS name, type, status, ipo_date, out_date, updated_at FROM security ORDER BY code',
    dateStrings: true,
  });
  return rows.map((r) => ({ ...r }));
}

/** Names no text format may mangle, and NULL and empty kept apart. */
export function trickySecurities(): SecurityRow[] {
  const names = [
    'tab\there',
    'new\nline',
    'carriage\rreturn',
    'back\\slash',
    'ends with a backslash\\',
    '\\N',
    'NULL',
    '"double" and \'single\' quotes',
    'nul\u0000byte',
    'ctrl-z \u001a',
    'emoji 😀 and 𝄞 (4-byte UTF-8)',
    '中文名称',
    '',
    ' leading and trailing spaces ',
  ];
  return names.map((name, i) => ({
    code: `t.${String(i).padStart(3, '0')}`,
    name,
    type: 1 + (i % 5),
    status: i % 2,
    ipoDate: i % 3 === 0 ? null : i % 3 === 1 ? '1000-01-01' : '9999-12-31',
    outDate: i % 2 === 0 ? null : '2024-02-29',
  }));
}

/** Decimals at the edge of each column's precision and scale. */
export function extremeBars(): DailyBarRow[] {
  const base = dailyBars(1, 1)[0]!;
  return [
    {
      ...base,
      code: 'x.max',
      open: '9999999999.9999999999',
      amount: '99999999999999999999.9999',
      volume: 9007199254740991,
    },
    {
      ...base,
      code: 'x.min',
      open: '-9999999999.9999999999',
      amount: '-99999999999999999999.9999',
      turn: '-9999999999.999999',
    },
    {
      ...base,
      code: 'x.tiny',
      open: '0.0000000001',
      high: '-0.0000000001',
      low: '0',
      close: '-0',
      preclose: '0007.50',
    },
    {
      ...base,
      code: 'x.null',
      open: null,
      high: null,
      low: null,
      close: null,
      preclose: null,
      volume: null,
      amount: null,
      turn: null,
      pctChg: null,
    },
    { ...base, code: 'x.edge', tradeDate: '1000-01-01' },
    { ...base, code: 'x.edge', tradeDate: '9999-12-31' },
  ];
}
