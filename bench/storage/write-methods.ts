/**
 * The four ways of writing trade-day rows the storage benchmark compares, all with the same
 * upsert semantics where they can have them, each in one transaction:
 * - row by row: one `INSERT … ON DUPLICATE KEY UPDATE` per row, values formatted by mysql2 (the
 *   original system: a cursor executing a statement per row, committing at the end);
 * - Drizzle's insert builder, 1,000 rows per statement, one bound parameter per value;
 * - our upsert (`upsertRows`);
 * - `LOAD DATA LOCAL INFILE` into an empty table: no upsert, the server's bulk path, the limit.
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import type mysql from 'mysql2/promise';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import { tradeDay } from '../../src/storage/schema/mysql.js';
import { tradeDayTable, upsertRows, type TradeDayRow } from '../../src/storage/upsert/index.js';

/** One database reached one way (directly or through the delay proxy). */
export interface WriteEnv {
  /** A plain mysql2 connection, for row-by-row and LOAD DATA. */
  connection: mysql.Connection;
  /** A pool with Drizzle on it, for the builder. */
  pool: mysql.Pool;
  target: MysqlTarget;
  /** What LOAD DATA reads next (the connection's infile stream factory reads it). */
  infile: { rows: readonly TradeDayRow[]; now: Date };
}

export interface WriteMethod {
  key: 'row-by-row' | 'drizzle-builder' | 'upsert' | 'load-data';
  label: string;
  /** LOAD DATA only writes into an empty table. */
  firstWriteOnly?: boolean;
  write(env: WriteEnv, rows: readonly TradeDayRow[], now: Date): Promise<void>;
}

const UPSERT_ONE_ROW =
  'INSERT INTO trade_day (calendar_date, is_trading_day, source, updated_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE ' +
  'updated_at = IF(is_trading_day <=> VALUES(is_trading_day) AND source <=> VALUES(source), updated_at, VALUES(updated_at)), ' +
  'is_trading_day = VALUES(is_trading_day), source = VALUES(source)';

export const rowByRow: WriteMethod = {
  key: 'row-by-row',
  label: 'row by row',
  async write({ connection }, rows, now) {
    await connection.query('BEGIN');
    for (const r of rows)
      await connection.query(UPSERT_ONE_ROW, [r.calendarDate, r.isTradingDay, r.source, now]);
    await connection.query('COMMIT');
  },
};

export const drizzleBuilder: WriteMethod = {
  key: 'drizzle-builder',
  label: 'Drizzle builder, 1,000 rows/statement',
  async write({ pool }, rows, now) {
    const db = drizzle({ client: pool });
    await db.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000).map((r) => ({ ...r, updatedAt: now }));
        await tx
          .insert(tradeDay)
          .values(chunk)
          .onDuplicateKeyUpdate({
            set: {
              // Drizzle orders the SET by the table's columns, so updated_at comes last here.
              isTradingDay: sql`VALUES(${sql.identifier('is_trading_day')})`,
              source: sql`VALUES(${sql.identifier('source')})`,
              updatedAt: sql`IF(${tradeDay.isTradingDay} <=> VALUES(${sql.identifier('is_trading_day')}) AND ${tradeDay.source} <=> VALUES(${sql.identifier('source')}), ${tradeDay.updatedAt}, VALUES(${sql.identifier('updated_at')}))`,
            },
          });
      }
    });
  },
};

export const ourUpsert: WriteMethod = {
  key: 'upsert',
  label: 'our upsert (upsertRows)',
  async write({ target }, rows, now) {
    const [result] = await upsertRows([target], tradeDayTable, rows, { now });
    if (!result?.ok) throw new Error(`upsert failed: ${result?.error}`);
  },
};

export const loadData: WriteMethod = {
  key: 'load-data',
  label: 'LOAD DATA LOCAL INFILE (empty table)',
  firstWriteOnly: true,
  async write({ connection, infile }, rows, now) {
    infile.rows = rows;
    infile.now = now;
    await connection.query('BEGIN');
    await connection.query(
      "LOAD DATA LOCAL INFILE 'trade_day.tsv' INTO TABLE trade_day FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (calendar_date, is_trading_day, source, updated_at)",
    );
    await connection.query('COMMIT');
  },
};

/** The rows as tab-separated lines, in 64 KiB buffers (trade-day values hold no tabs or backslashes). */
export function tsvStream(rows: readonly TradeDayRow[], now: Date): Readable {
  const stamp = now.toISOString().slice(0, 23).replace('T', ' ');
  return Readable.from(
    (function* () {
      let text = '';
      for (const r of rows) {
        text += `${r.calendarDate}\t${r.isTradingDay ? 1 : 0}\t${r.source}\t${stamp}\n`;
        if (text.length >= 65_536) {
          yield Buffer.from(text);
          text = '';
        }
      }
      if (text !== '') yield Buffer.from(text);
    })(),
  );
}
