import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { AppError, ValidationError } from '../../src/errors.js';
import {
  CalendarRangeError,
  EXCHANGE_WEEKDAY_CLOSURES,
  createOfflineCalendar,
  loadChineseDaysHolidays,
  publicHolidaysFromChineseDaysData,
} from '../../src/sources/offline-calendar/index.js';

const calendar = createOfflineCalendar();
const { from: coveredFrom, to: coveredTo } = calendar.coveredRange;
const lastYear = Number(coveredTo.slice(0, 4));

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function assertRangeError(action: () => unknown): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CalendarRangeError);
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'CALENDAR_RANGE');
    assert.ok(error.message.includes(`${coveredFrom} to ${coveredTo}`), error.message);
    assert.match(error.message, /BaoStock/);
    assert.deepEqual(error.covered, { from: coveredFrom, to: coveredTo });
    return true;
  });
}

describe('offline calendar', () => {
  it('takes its last covered year from the chinese-days data', () => {
    const dataYears = Object.keys(chineseDaysData.holidays).map((date) => Number(date.slice(0, 4)));
    assert.equal(lastYear, Math.max(...dataYears));
    assert.equal(loadChineseDaysHolidays().lastYear, lastYear);
  });

  it('extends its coverage when the holiday data gains a year', () => {
    const nextYear = lastYear + 1;
    const newer = publicHolidaysFromChineseDaysData({
      holidays: { ...chineseDaysData.holidays, [`${nextYear}-01-01`]: "New Year's Day,元旦,1" },
    });
    const extended = createOfflineCalendar(newer);
    assert.deepEqual(extended.coveredRange, { from: '2004-01-01', to: `${nextYear}-12-31` });
    assert.equal(extended.isTradingDay(`${nextYear}-01-01`), false);
    assert.equal(extended.days(`${nextYear}-01-01`, `${nextYear}-12-31`).length >= 365, true);
    assert.equal(extended.coverageWarning(`${lastYear}-12-01`), null);
    assert.match(
      extended.coverageWarning(`${nextYear}-12-01`) ?? '',
      new RegExp(`${nextYear + 1} is not covered`),
    );
  });

  it('never trades on make-up working weekends (调休上班)', () => {
    const makeUpWeekends = Object.keys(chineseDaysData.workdays).filter(
      (date) => date >= coveredFrom && date <= coveredTo,
    );
    const saturdays2024 = makeUpWeekends.filter(
      (date) => date.startsWith('2024-') && weekdayOf(date) === 6,
    );
    assert.ok(saturdays2024.length > 0, 'chinese-days lists no make-up Saturday in 2024');
    for (const date of saturdays2024) assert.equal(calendar.isTradingDay(date), false, date);

    assert.ok(makeUpWeekends.length > 100);
    const traded = makeUpWeekends.filter((date) => calendar.isTradingDay(date));
    assert.deepEqual(traded, []);
  });

  it('treats public holidays on weekdays as closures and ordinary weekdays as trading days', () => {
    assert.equal(calendar.isTradingDay('2024-10-01'), false); // National Day, a Tuesday
    assert.equal(calendar.isTradingDay('2024-10-08'), true);
    assert.equal(calendar.isTradingDay('2024-10-12'), false); // make-up Saturday
    assert.equal(calendar.isTradingDay('2024-10-13'), false); // Sunday
  });

  it('closes on every listed exchange weekday closure, each a weekday the holiday data lacks', () => {
    const dates = EXCHANGE_WEEKDAY_CLOSURES.map((closure) => closure.date);
    assert.deepEqual(dates, [
      '2004-01-19',
      '2004-01-20',
      '2004-01-21',
      '2005-02-07',
      '2005-02-08',
      '2006-01-26',
      '2006-01-27',
      '2024-02-09',
    ]);
    const holidays = loadChineseDaysHolidays().dates;
    for (const { date, reason } of EXCHANGE_WEEKDAY_CLOSURES) {
      assert.ok(reason.length > 0, date);
      assert.ok(weekdayOf(date) >= 1 && weekdayOf(date) <= 5, `${date} is a weekend day`);
      assert.equal(holidays.has(date), false, `${date} is already a public holiday`);
      assert.equal(calendar.isTradingDay(date), false, date);
    }
  });

  it('lists every day of a range once, ascending, with both ends included', () => {
    const days = calendar.days('2024-02-07', '2024-02-20');
    assert.deepEqual(
      days.map((day) => `${day.calendarDate}:${day.isTradingDay ? 1 : 0}`),
      [
        '2024-02-07:1',
        '2024-02-08:1',
        '2024-02-09:0',
        '2024-02-10:0',
        '2024-02-11:0',
        '2024-02-12:0',
        '2024-02-13:0',
        '2024-02-14:0',
        '2024-02-15:0',
        '2024-02-16:0',
        '2024-02-17:0',
        '2024-02-18:0',
        '2024-02-19:1',
        '2024-02-20:1',
      ],
    );
    assert.equal(calendar.days('2024-02-29', '2024-02-29').length, 1);
    const all = calendar.days(coveredFrom, coveredTo);
    const expectedLength = (Date.parse(coveredTo) - Date.parse(coveredFrom)) / 86_400_000 + 1;
    assert.equal(all.length, expectedLength);
    assert.equal(all[0]?.calendarDate, coveredFrom);
    assert.equal(all.at(-1)?.calendarDate, coveredTo);
  });

  it('refuses dates outside the covered range with a CalendarRangeError', () => {
    assertRangeError(() => calendar.days('2003-12-31', '2004-01-05'));
    assertRangeError(() => calendar.days('1990-12-19', '1990-12-31'));
    assertRangeError(() => calendar.days(coveredTo, `${lastYear + 1}-01-01`));
    assertRangeError(() => calendar.isTradingDay('2003-12-31'));
    assertRangeError(() => calendar.isTradingDay(`${lastYear + 1}-01-04`));
    assert.equal(calendar.isTradingDay(coveredFrom), false); // New Year's Day
    assert.equal(typeof calendar.isTradingDay(coveredTo), 'boolean');
  });

  it('rejects malformed or impossible dates, naming the argument and the value', () => {
    for (const bad of [
      '2023-02-29',
      '2024-02-30',
      '2024-13-01',
      '2024-2-01',
      '20240201',
      '2024-02-01T00:00',
      '',
      'today',
    ]) {
      assert.throws(
        () => calendar.isTradingDay(bad),
        (error: unknown) =>
          error instanceof ValidationError &&
          error.message.startsWith(`date: ${JSON.stringify(bad)}`),
        bad,
      );
    }
    assert.throws(
      () => calendar.days('2024-01-01', '2024-04-31'),
      /^ValidationError: to: "2024-04-31" is not a real date/,
    );
    assert.throws(
      () => calendar.days('2024/01/01', '2024-01-31'),
      /^ValidationError: from: "2024\/01\/01"/,
    );
    assert.throws(
      () => calendar.days('2024-02-01', '2024-01-31'),
      (error: unknown) => {
        return (
          error instanceof ValidationError &&
          error.message === 'from (2024-02-01) is after to (2024-01-31)'
        );
      },
    );
    assert.throws(
      () => calendar.coverageWarning('2026-12-32'),
      /^ValidationError: today: "2026-12-32"/,
    );
  });
});

describe('coverageWarning', () => {
  it('is silent before 1 December of the last covered year', () => {
    assert.equal(calendar.coverageWarning(`${lastYear}-11-30`), null);
    assert.equal(calendar.coverageWarning(`${lastYear}-01-01`), null);
    assert.equal(calendar.coverageWarning('2026-11-30'), null);
  });

  it('is silent in December when next year is covered', () => {
    assert.equal(calendar.coverageWarning(`${lastYear - 1}-12-01`), null);
    assert.equal(calendar.coverageWarning(`${lastYear - 1}-12-31`), null);
  });

  it('warns from 1 December of the last covered year, naming the range, next year and BaoStock', () => {
    for (const today of [`${lastYear}-12-01`, `${lastYear}-12-31`]) {
      const warning = calendar.coverageWarning(today);
      assert.ok(warning !== null, today);
      assert.ok(warning.includes(`covers ${coveredFrom} to ${coveredTo}`), warning);
      assert.ok(warning.includes(`${lastYear + 1} is not covered yet`), warning);
      assert.ok(warning.includes(`BaoStock serves dates from ${lastYear + 1}-01-01`), warning);
    }
  });

  it('on 2026-12-01 warns exactly when the installed package has no 2027 data', () => {
    const warning = calendar.coverageWarning('2026-12-01');
    if (lastYear === 2026) assert.match(warning ?? '', /2027 is not covered yet/);
    else assert.equal(warning, null);
  });

  it('warns when today is already past the covered range', () => {
    const warning = calendar.coverageWarning(`${lastYear + 1}-03-02`);
    assert.ok(warning?.includes(`ended before today (${lastYear + 1}-03-02)`), String(warning));
  });
});
