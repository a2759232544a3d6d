import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalDecimal,
  compareDecimals,
  divideDecimals,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
} from '../../src/sources/baostock/decimal.js';

const d = (text: string) => {
  const value = parseDecimal(text);
  assert.ok(value, text);
  return value;
};

describe('decimal', () => {
  it('canonical text: no leading or trailing zeros, no -0', () => {
    const cases: Array<[string, string]> = [
      ['6.2070789300', '6.20707893'],
      ['0.000000', '0'],
      ['-0.0', '0'],
      ['-0.302100', '-0.3021'],
      ['007', '7'],
      ['0.05', '0.05'],
      ['+12.5', '12.5'],
      ['146066303.7200', '146066303.72'],
    ];
    for (const [text, canonical] of cases) assert.equal(canonicalDecimal(text), canonical, text);
  });

  it('refuses exponents, blanks and stray characters', () => {
    for (const text of ['', ' 1', '1e3', '1.', '.5', 'abc', '1,000', 'NaN', 'Infinity'])
      assert.equal(canonicalDecimal(text), undefined, JSON.stringify(text));
  });

  it('canonical text by string work agrees with parse and format, over generated text', () => {
    // Deterministic: a small linear congruential generator over the characters decimals use.
    let state = 12345;
    const next = (n: number) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
    const alphabet = ['0', '0', '0', '1', '5', '9', '.', '-', '+', 'e', ' '];
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: next(9) }, () => alphabet[next(alphabet.length)]).join('');
      const parsed = parseDecimal(text);
      assert.equal(canonicalDecimal(text), parsed && formatDecimal(parsed), JSON.stringify(text));
    }
  });

  it('multiplies exactly where floats do not', () => {
    assert.equal(formatDecimal(multiplyDecimals(d('6.6'), d('0.936211'))), '6.1789926');
    assert.equal(formatDecimal(multiplyDecimals(d('1.1'), d('1.1'))), '1.21');
    assert.notEqual(1.1 * 1.1, 1.21);
    assert.equal(formatDecimal(multiplyDecimals(d('-1.5'), d('2'))), '-3');
  });

  it('compares across scales', () => {
    assert.equal(compareDecimals(d('1.50'), d('1.5')), 0);
    assert.equal(compareDecimals(d('-2'), d('1.9')), -1);
    assert.equal(compareDecimals(d('10'), d('9.999')), 1);
  });

  it('divides rounding half away from zero', () => {
    assert.equal(formatDecimal(divideDecimals(d('1'), d('3'), 6)), '0.333333');
    assert.equal(formatDecimal(divideDecimals(d('2'), d('3'), 6)), '0.666667');
    assert.equal(formatDecimal(divideDecimals(d('-2'), d('3'), 6)), '-0.666667');
    assert.equal(formatDecimal(divideDecimals(d('1'), d('8'), 2)), '0.13');
    assert.equal(formatDecimal(divideDecimals(d('6.1789926'), d('0.936211'), 4)), '6.6');
    assert.throws(() => divideDecimals(d('1'), d('0'), 2), RangeError);
  });
});
