import { canonicalDecimal } from './decimal.js';
import { BaoStockRowError } from './errors.js';

/**
 * Readers of single values in market rows. Each takes `where` (query, row) and the column name,
 * so a bad value is reported as `BaoStock query_x sh.600000 page 1 row 3: open "abc" is not …`.
 */
export interface ValueAt {
  where: string;
  column: string;
}

function fail(at: ValueAt, value: string, expected: string): never {
  throw new BaoStockRowError(`${at.where}: ${at.column} ${JSON.stringify(value)} ${expected}`);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD`, a real calendar day of a year 1000 or later. */
export function dateValue(value: string, at: ValueAt): string {
  const m = DATE.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return value;
  }
  return fail(at, value, 'is not a date written YYYY-MM-DD');
}

// Every bar has a date: counted, not built as a Date and read back.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** A date, or null when empty (an `outDate` while listed). */
export function optionalDateValue(value: string, at: ValueAt): string | null {
  return value === '' ? null : dateValue(value, at);
}

/** `sh.600000`, `sz.000001`, `bj.430047`. */
export function codeValue(value: string, at: ValueAt): string {
  return /^[a-z]{2}\.\d{6}$/.test(value) ? value : fail(at, value, 'is not a code like sh.600000');
}

/** A canonical decimal string, or null for an empty field (§9: "no value"). */
export function decimalOrNull(value: string, at: ValueAt): string | null {
  if (value === '') return null;
  return canonicalDecimal(value) ?? fail(at, value, 'is not a plain decimal number');
}

export function decimalValue(value: string, at: ValueAt): string {
  return decimalOrNull(value, at) ?? fail(at, value, 'is empty, expected a decimal number');
}

/** A whole number of shares, or null when empty; `"22066700"` and `"22066700.0"` both read. */
export function integerOrNull(value: string, at: ValueAt): number | null {
  if (value === '') return null;
  const canonical = canonicalDecimal(value);
  if (canonical === undefined || canonical.includes('.'))
    return fail(at, value, 'is not a whole number');
  const n = Number(canonical);
  return Number.isSafeInteger(n) ? n : fail(at, value, 'is too large to hold exactly');
}

/** One of the listed small integers (`1`/`0` flags, security types). */
export function choiceValue<const T extends number>(
  value: string,
  at: ValueAt,
  allowed: readonly T[],
): T {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  return (allowed as readonly number[]).includes(n)
    ? (n as T)
    : fail(at, value, `is not one of ${allowed.join(', ')}`);
}

export function textValue(value: string, at: ValueAt): string {
  return value.trim() !== '' ? value : fail(at, value, 'is empty');
}
