/**
 * Exact decimals for market data: BaoStock sends prices, amounts and factors as decimal text, and
 * a float would change them (0.1 + 0.2). Values stay strings at the edges, in one canonical form
 * (no leading zeros, no trailing fraction zeros, no `-0`: `"6.6000"` is `"6.6"`), and arithmetic
 * runs on BigInt integers scaled by a power of ten.
 */

/** A decimal as `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Parses plain decimal text (`-12.340`, `7`); undefined for anything else (exponents, spaces, ``). */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return { units: sign === '-' ? -units : units, scale: fraction.length };
}

/** The canonical text of a decimal. */
export function formatDecimal(value: Decimal): string {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** The canonical form of decimal text, or undefined when it is not a plain decimal. */
export function canonicalDecimal(text: string): string | undefined {
  const value = parseDecimal(text);
  return value && formatDecimal(value);
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** `a / b` rounded half away from zero to `scale` places (the one place division is needed). */
export function divideDecimals(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero');
  // a/b = (a.units / b.units) * 10^(b.scale - a.scale); scaled by 10^scale, times 2 to round.
  const shift = scale + b.scale - a.scale;
  let numerator = a.units * 2n;
  let denominator = b.units;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const doubled = numerator / denominator;
  const units = doubled >= 0n ? (doubled + 1n) / 2n : (doubled - 1n) / 2n;
  return { units, scale };
}
