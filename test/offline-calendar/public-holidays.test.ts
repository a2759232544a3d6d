import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import chineseDays from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { ValidationError } from '../../src/errors.js';
import {
  loadChineseDaysHolidays,
  publicHolidaysFromChineseDaysData,
} from '../../src/sources/offline-calendar/index.js';

// chinese-days 1.5.7's functions parse 'YYYY-MM-DD' as UTC but format in local time, so west of
// UTC they report every holiday a day early; the calendar reads the data file for that reason.
const westOfUtc = new Date(2024, 0, 1).getTimezoneOffset() > 0;

describe('chinese-days public holidays', () => {
  it('covers every year from 2004 to its last year', () => {
    const holidays = loadChineseDaysHolidays();
    assert.equal(holidays.firstYear, 2004);
    assert.ok(holidays.lastYear >= 2026, `last year ${holidays.lastYear}`);
    assert.ok(holidays.dates.has('2024-10-01'));
    assert.equal(
      holidays.dates.has('2024-10-12'),
      false,
      'a make-up working Saturday is not a holiday',
    );
  });

  it(
    'reads the same holidays the package functions report',
    { skip: westOfUtc && 'chinese-days shifts dates west of UTC' },
    () => {
      const { firstYear, lastYear, dates } = loadChineseDaysHolidays();
      const fromFunctions = chineseDays.getHolidaysInRange(
        `${firstYear}-01-01`,
        `${lastYear + 1}-12-31`,
        false,
      );
      assert.deepEqual(fromFunctions, [...dates].sort());
    },
  );

  it('rejects malformed holiday data with the bad field named', () => {
    assert.throws(
      () => publicHolidaysFromChineseDaysData({ holidays: { '2024-02-30': 'x' } }),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.problems.some((p) => p.path.startsWith('chinese-days.json.holidays')),
    );
    assert.throws(() => publicHolidaysFromChineseDaysData({}), ValidationError);
    assert.throws(() => publicHolidaysFromChineseDaysData({ holidays: {} }), /no holidays at all/);
  });

  it('rejects data that skips a year', () => {
    const holidays = Object.fromEntries(
      Object.entries(chineseDaysData.holidays).filter(([date]) => !date.startsWith('2010-')),
    );
    assert.throws(() => publicHolidaysFromChineseDaysData({ holidays }), /no holidays in 2010/);
  });
});
