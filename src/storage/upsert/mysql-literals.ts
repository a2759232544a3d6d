import mysql from 'mysql2';
import { mysqlDecimal } from './decimal-text.js';
import type { UpsertColumn, UpsertTable } from './upsert-table.js';

/** How the target's session reads string literals (from its sql_mode, read at connect). */
export interface MysqlLiteralMode {
  noBackslashEscapes: boolean;
}

/** Every row as a `(…)` tuple of SQL literals, with its length in bytes as sent (UTF-8). */
export interface MysqlTuples {
  readonly tuples: string[];
  readonly bytes: Uint32Array;
}

/**
 * Renders rows as MySQL literals. Values were checked by `checkRows` first, so each kind has a
 * known shape:
 * - text: mysql2's `escape` (sql-escaper). Normally backslash escaping of \0 \b \t \n \r \x1a " ' \;
 *   when the session has NO_BACKSLASH_ESCAPES it doubles quotes instead and spells backslashes
 *   with REPLACE(), since a backslash escape would then end the literal early.
 * - date: the checked `YYYY-MM-DD` in quotes (digits and dashes only, nothing to escape).
 * - boolean: 1 / 0; numbers: their decimal form; decimals: their checked text; null: NULL.
 * The change time is one literal for the whole write (the same on every target), in UTC as
 * Drizzle's DATETIME mapping reads it back.
 */
export function renderMysqlTuples<Row>(
  table: UpsertTable<Row>,
  rows: readonly Row[],
  changedAt: Date,
  mode: MysqlLiteralMode,
): MysqlTuples {
  const columns = [...table.key, ...table.compared];
  const sqlMode = { noBackslashEscapes: mode.noBackslashEscapes };
  const tail = table.changedAt ? `,${mysqlDatetime(changedAt)})` : ')';
  const tuples = new Array<string>(rows.length);
  const bytes = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let tuple = '(';
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) tuple += ',';
      tuple += literal(columns[c]!, row[columns[c]!.field], sqlMode);
    }
    tuple += tail;
    tuples[i] = tuple;
    bytes[i] = Buffer.byteLength(tuple, 'utf8');
  }
  return { tuples, bytes };
}

function literal<Row>(
  column: UpsertColumn<Row>,
  value: unknown,
  sqlMode: { noBackslashEscapes: boolean },
): string {
  if (value === null || value === undefined) return 'NULL';
  // checkRows has checked the value against its column's kind.
  const checked = value as string | number | boolean;
  switch (column.kind) {
    case 'text':
      return mysql.escape(checked, false, undefined, sqlMode);
    case 'date':
      return `'${checked as string}'`;
    case 'boolean':
      return checked === true ? '1' : '0';
    case 'integer':
    case 'number':
      return String(checked);
    case 'decimal':
      // Checked to be digits, a point and a leading minus only: an exact-value literal as it is.
      return mysqlDecimal(checked as string, column.decimal!.scale);
  }
}

/** `'YYYY-MM-DD HH:MM:SS.mmm'` in UTC. */
export function mysqlDatetime(time: Date): string {
  return `'${time.toISOString().slice(0, 23).replace('T', ' ')}'`;
}
