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

/**
 * The canonical form of decimal text, or undefined when it is not a plain decimal: the same as
 * `formatDecimal(parseDecimal(text))`, by string work alone, since every price of every bar
 * passes through here (BigInt and a regex per value were a quarter of the decode time).
 */
export function canonicalDecimal(text: string): string | undefined {
  const length = text.length;
  const first = text.charCodeAt(0);
  const start = first === PLUS || first === MINUS ? 1 : 0;
  let point = -1;
  for (let i = start; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === POINT && point === -1) point = i;
    else if (c < ZERO || c > NINE) return undefined;
  }
  const wholeEnd = point === -1 ? length : point;
  // Digits on both sides of the point: `7`, `7.5`; not ``, `.5`, `5.` or `-`.
  if (wholeEnd === start || point === length - 1) return undefined;
  let from = start;
  while (from < wholeEnd - 1 && text.charCodeAt(from) === ZERO) from++;
  let to = length;
  if (point !== -1) {
    while (to > point + 1 && text.charCodeAt(to - 1) === ZERO) to--;
    if (to === point + 1) to = point;
  }
  const digits = text.slice(from, to);
  return first === MINUS && digits !== '0' ? `-${digits}` : digits;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const POINT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

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
