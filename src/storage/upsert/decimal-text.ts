/**
 * Exact decimals as text. Values arrive as decimal strings (BaoStock sends them so) and must reach
 * every database digit for digit: a float would turn 0.1 into 0.1000000000000000055…, and MySQL
 * would round a digit past the column's scale without an error. So a decimal is a plain
 * `-?digits(.digits)?` string (no exponent, no sign other than a leading minus), and it must fit
 * the column exactly: at most `precision - scale` digits before the point, and no non-zero digit
 * past `scale`.
 *
 * The canonical form is the one MySQL reads back for a DECIMAL(p, s): no leading zeros, exactly
 * `s` decimals, no negative zero. SQLite stores that text, so "1.50" written to either database
 * compares equal to a stored "1.5000000000" and both databases hold the same digits.
 */

/** Checked by hand: this runs for every decimal of a million-row write. */
export function decimalProblem(text: string, precision: number, scale: number): string | null {
  const length = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  if (intEnd === intStart) return 'must start with a digit (after an optional minus)';
  let fracEnd = i;
  if (i < length) {
    if (text.charCodeAt(i) !== 46) return 'may hold only digits, a leading minus and one point';
    i++;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
    if (fracEnd === intEnd + 1) return 'needs a digit after the point';
    if (i < length) return 'may hold only digits, a leading minus and one point';
  }
  let first = intStart;
  while (first < intEnd - 1 && text.charCodeAt(first) === 48) first++;
  const intDigits = intEnd - first === 1 && text.charCodeAt(first) === 48 ? 0 : intEnd - first;
  if (intDigits > precision - scale)
    return `has ${intDigits} digits before the point; the column holds at most ${precision - scale}`;
  for (let f = intEnd + 1 + scale; f < fracEnd; f++)
    if (text.charCodeAt(f) !== 48)
      return `has more than ${scale} decimals; the column would round it`;
  return null;
}

/** A checked decimal in canonical form (see above). */
export function canonicalDecimal(text: string, scale: number): string {
  const negative = text.charCodeAt(0) === 45;
  const body = negative ? text.slice(1) : text;
  const point = body.indexOf('.');
  let integer = point === -1 ? body : body.slice(0, point);
  let fraction = point === -1 ? '' : body.slice(point + 1);
  let start = 0;
  while (start < integer.length - 1 && integer.charCodeAt(start) === 48) start++;
  integer = integer.slice(start);
  fraction = fraction.length >= scale ? fraction.slice(0, scale) : fraction.padEnd(scale, '0');
  const digits = scale > 0 ? `${integer}.${fraction}` : integer;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/**
 * What MySQL is sent: the text itself unless it carries zeros past the scale, which MySQL would
 * report as a truncation note (and LOAD DATA as a warning) although no digit is lost.
 */
export function mysqlDecimal(text: string, scale: number): string {
  const point = text.indexOf('.');
  return point !== -1 && text.length - point - 1 > scale ? canonicalDecimal(text, scale) : text;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
