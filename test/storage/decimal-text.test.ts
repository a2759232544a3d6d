/** Decimal strings: what is refused, what is canonical, what MySQL is sent. No database. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { checkRows } from '../../src/storage/upsert/check-rows.js';
import {
  canonicalDecimal,
  decimalProblem,
  mysqlDecimal,
} from '../../src/storage/upsert/decimal-text.js';
import { adjustFactorTable, dailyBarTable } from '../../src/storage/upsert/market-tables.js';

describe('decimal text', () => {
  it('takes plain decimals that fit the column exactly', () => {
    for (const text of [
      '0',
      '-0',
      '1.5',
      '-12.3456789012',
      '0009999999999.9999999999',
      '1.50000000000000',
    ])
      assert.equal(decimalProblem(text, 20, 10), null, text);
  });

  it('refuses exponents, signs, stray characters, too many digits and rounding', () => {
    const cases: Array<[string, RegExp]> = [
      ['1e5', /only digits/],
      ['+1', /must start with a digit/],
      ['.5', /must start with a digit/],
      ['1.', /digit after the point/],
      ['1.2.3', /only digits/],
      [' 1', /must start with a digit/],
      ['', /must start with a digit/],
      ['NaN', /must start with a digit/],
      ['12345678901', /11 digits before the point; the column holds at most 10/],
      ['0.00000000001', /more than 10 decimals/],
    ];
    for (const [text, message] of cases)
      assert.match(decimalProblem(text, 20, 10) ?? 'accepted', message, text);
  });

  it('writes the canonical form MySQL reads back: no leading zeros, the scale, no negative zero', () => {
    assert.equal(canonicalDecimal('1.50', 10), '1.5000000000');
    assert.equal(canonicalDecimal('007', 4), '7.0000');
    assert.equal(canonicalDecimal('-0.000', 4), '0.0000');
    assert.equal(canonicalDecimal('-0.25', 6), '-0.250000');
    assert.equal(canonicalDecimal('12.5000000', 2), '12.50');
    assert.equal(canonicalDecimal('5.0', 0), '5');
  });

  it('sends MySQL the text itself unless zeros run past the scale', () => {
    assert.equal(mysqlDecimal('1.5', 10), '1.5');
    assert.equal(mysqlDecimal('1.500000000000', 10), '1.5000000000');
  });

  it('is checked per column by checkRows, never a float', () => {
    const bar = {
      code: 'sh.600000',
      tradeDate: '2024-01-02',
      open: 10.5 as unknown as string,
      high: '1e3',
      low: null,
      close: '10',
      preclose: '10',
      volume: 100,
      amount: '1.23456',
      turn: null,
      pctChg: null,
      tradeStatus: 1,
      isSt: false,
    };
    assert.throws(
      () => checkRows(dailyBarTable, [bar]),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(
          error.problems.map((p) => p.path),
          ['rows[0].open', 'rows[0].high', 'rows[0].amount'],
        );
        assert.match(error.message, /open: must be a decimal string \(never a float\), got 10\.5/);
        assert.match(error.message, /amount: has more than 4 decimals.*DECIMAL\(24, 4\)/);
        return true;
      },
    );
    assert.throws(
      () =>
        checkRows(adjustFactorTable, [
          {
            code: 'sh.600000',
            dividOperateDate: '2024-01-02',
            foreAdjustFactor: null as unknown as string,
            backAdjustFactor: '1',
            adjustFactor: '1',
          },
        ]),
      /foreAdjustFactor: is required/,
    );
  });
});
