import { ValidationError, type Problem } from '../../errors.js';
import { decimalProblem } from './decimal-text.js';
import type { UpsertColumn, UpsertTable } from './upsert-table.js';

const MAX_PROBLEMS = 20;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks every value of every row against its column before any target is written: a bad value
 * is the caller's mistake and must not surface as one target's SQL error half-way through a
 * transaction (or be silently coerced by a lenient sql_mode). Throws a ValidationError listing
 * the first problems, each naming the row index and field.
 */
export function checkRows<Row>(table: UpsertTable<Row>, rows: readonly Row[]): void {
  const columns = [...table.key, ...table.compared];
  const problems: Problem[] = [];
  for (let i = 0; i < rows.length && problems.length < MAX_PROBLEMS; i++) {
    const row = rows[i]!;
    for (const column of columns) {
      const message = checkValue(column, row[column.field]);
      if (message !== null) {
        problems.push({ path: `rows[${i}].${column.field}`, message });
        if (problems.length >= MAX_PROBLEMS) break;
      }
    }
  }
  if (problems.length > 0) {
    const more = problems.length >= MAX_PROBLEMS ? ' (first problems only)' : '';
    throw new ValidationError(
      `${table.name}: ${problems.length} invalid value${problems.length > 1 ? 's' : ''}${more}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
}

/** The problem with a value, or null when it can be written to the column. */
export function checkValue<Row>(column: UpsertColumn<Row>, value: unknown): string | null {
  if (value === null || value === undefined) return column.nullable ? null : 'is required';
  switch (column.kind) {
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? null
        : `must be a date as YYYY-MM-DD, got ${describe(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, got ${describe(value)}`;
    case 'integer':
      return Number.isSafeInteger(value) ? null : `must be a whole number, got ${describe(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? null
        : `must be a finite number, got ${describe(value)}`;
    case 'decimal': {
      if (typeof value !== 'string')
        return `must be a decimal string (never a float), got ${describe(value)}`;
      const { precision, scale } = column.decimal!;
      const problem = decimalProblem(value, precision, scale);
      return problem === null
        ? null
        : `${problem} (DECIMAL(${precision}, ${scale}), got ${describe(value)})`;
    }
    case 'text':
      if (typeof value !== 'string') return `must be a string, got ${describe(value)}`;
      if (SURROGATE.test(value) && LONE_SURROGATE.test(value))
        return 'holds an unpaired UTF-16 surrogate (not valid Unicode)';
      if (
        column.maxLength !== null &&
        value.length > column.maxLength &&
        codePoints(value) > column.maxLength
      ) {
        return `is longer than ${column.maxLength} characters`;
      }
      return null;
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` naming a real day in MySQL's DATE range; by hand, as it runs once per row. */
function isCalendarDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  // MySQL's DATE range; SQLite would take anything, but both targets must hold the same rows.
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** The decimal number in text[from, to), or -1 if a character is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function describe(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else text = Object.prototype.toString.call(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
