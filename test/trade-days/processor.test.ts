import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanTradeDays } from '../../src/components/builtin/trade-days/processor.js';
import { ValidationError } from '../../src/errors.js';

const row = (calendarDate: unknown, isTradingDay: unknown, source = 'baostock') => ({
  calendarDate,
  isTradingDay,
  source,
});

describe('the trade-day processor', () => {
  it('types, deduplicates, sorts and trims rows', () => {
    const { rows, duplicates } = cleanTradeDays(
      [
        row('2024-01-03', '1'),
        row('2024-01-01', '0'),
        row('2024-01-02', 1),
        row('2024-01-03', '1'),
        row('2024-01-04', true),
        row('2024-01-06', false),
      ],
      { to: '2024-01-04' },
    );
    assert.equal(duplicates, 1);
    assert.deepEqual(rows, [
      { calendarDate: '2024-01-01', isTradingDay: false, source: 'baostock' },
      { calendarDate: '2024-01-02', isTradingDay: true, source: 'baostock' },
      { calendarDate: '2024-01-03', isTradingDay: true, source: 'baostock' },
      { calendarDate: '2024-01-04', isTradingDay: true, source: 'baostock' },
    ]);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not a list', { rows: [] }, /expected a list of trade-day rows, got object/],
    [
      'a date that does not exist',
      [row('2024-01-02', '1'), row('2024-02-30', '1')],
      /row 2 \(calendar_date "2024-02-30"\): calendar_date is not a real date written YYYY-MM-DD/,
    ],
    [
      'a date in another format',
      [row('20240102', '1')],
      /row 1 \(calendar_date "20240102"\): calendar_date is not a real date/,
    ],
    [
      'a missing date',
      [{ isTradingDay: '1', source: 'x' }],
      /row 1 \(calendar_date undefined\): calendar_date is not a real date/,
    ],
    [
      'a flag that is not 1 or 0',
      [row('2024-01-02', 'yes')],
      /row 1 \(calendar_date "2024-01-02"\): is_trading_day must be 1 or 0, not "yes"/,
    ],
    [
      'a row that is not an object',
      [row('2024-01-02', '1'), 'x'],
      /row 2: must be an object with calendarDate and isTradingDay, not string/,
    ],
    [
      'conflicting duplicates',
      [row('2024-01-02', '1'), row('2024-01-03', '1'), row('2024-01-02', '0')],
      /row 3 \(calendar_date "2024-01-02"\): conflicts with row 1: one says a trading day, the other closed/,
    ],
  ];
  for (const [name, input, message] of bad) {
    it(`rejects ${name}, naming the row`, () => {
      assert.throws(
        () => cleanTradeDays(input),
        (error: unknown) => error instanceof ValidationError && message.test(error.message),
      );
    });
  }

  it('reports several malformed rows at once', () => {
    assert.throws(
      () => cleanTradeDays([row('x', '1'), row('2024-01-01', '1'), row('y', '1')]),
      /2 malformed trade-day row\(s\): row 1 .*; row 3 /,
    );
  });
});
