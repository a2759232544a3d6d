import { ValidationError } from '../../errors.js';
import { canonicalDecimal } from './decimal-text.js';
import type { UpsertColumn, UpsertTable } from './upsert-table.js';

/**
 * Refuses a key given twice with different values, before anything is written: which copy would
 * win depends on the path (a multi-row statement keeps the last, LOAD DATA the first), and a
 * processor that lets two versions of one bar through has a bug worth seeing. Exact copies pass;
 * every path then counts the second copy as unchanged.
 *
 * Rows usually come sorted by key, which proves there are no duplicates in one pass; only rows out
 * of order pay for a map of every key. Keys compare as JavaScript values: two keys MySQL's
 * collation calls equal ('A' and 'a', trailing spaces) are not caught here.
 */
export function refuseConflictingDuplicates<Row>(
  table: UpsertTable<Row>,
  rows: readonly Row[],
): void {
  if (rows.length < 2 || isSortedByKey(table.key, rows)) return;
  const first = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const key = keyOf(table.key, rows[i]!);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, i);
      continue;
    }
    const differing = table.compared.find(
      (c) => comparable(c, rows[earlier]![c.field]) !== comparable(c, rows[i]![c.field]),
    );
    if (differing) {
      const path = `rows[${i}].${differing.field}`;
      const message = `the key of rows[${earlier}] again, with a different ${differing.field} (${JSON.stringify(rows[earlier]![differing.field])} then ${JSON.stringify(rows[i]![differing.field])})`;
      throw new ValidationError(`${table.name}: ${path}: ${message}`, [{ path, message }]);
    }
  }
}

function isSortedByKey<Row>(key: readonly UpsertColumn<Row>[], rows: readonly Row[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1]!;
    const row = rows[i]!;
    let order = 0;
    for (const column of key) {
      const a = before[column.field] as string | number | boolean;
      const b = row[column.field] as string | number | boolean;
      if (a < b) order = -1;
      else if (a > b) order = 1;
      else continue;
      break;
    }
    if (order >= 0) return false;
  }
  return true;
}

function keyOf<Row>(key: readonly UpsertColumn<Row>[], row: Row): string {
  let text = '';
  for (const column of key) {
    // Keys are checked values: strings, numbers or booleans.
    const value: unknown = row[column.field];
    text += `${value as string}\u0000`;
  }
  return text;
}

function comparable<Row>(column: UpsertColumn<Row>, value: unknown): unknown {
  if (value === undefined) return null;
  if (column.kind === 'decimal' && typeof value === 'string')
    return canonicalDecimal(value, column.decimal!.scale);
  return value;
}
