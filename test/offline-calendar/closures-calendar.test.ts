import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  calendarChanges,
  CalendarRangeError,
  createOfflineCalendar,
  exchangeClosuresSchema,
  LiveOfflineCalendar,
  loadChineseDaysHolidays,
} from '../../src/sources/offline-calendar/index.js';
import { closuresFile2027, TEST_CLOSURES_2027, TEST_NOTICE_2027 } from './test-closures.js';

const holidays = loadChineseDaysHolidays();
const packageOnly = createOfflineCalendar(holidays);
const withFile = (content: unknown) =>
  createOfflineCalendar(holidays, exchangeClosuresSchema.parse(content));

describe('the offline calendar with an exchange closures file', () => {
  it('is where the package ends (2026) when these tests were written', () => {
    assert.equal(packageOnly.coverage.packageTo, '2026-12-31');
    assert.deepEqual(packageOnly.coverage, {
      from: '2004-01-01',
      to: '2026-12-31',
      source: 'package',
      packageTo: '2026-12-31',
    });
  });

  it('extends coverage with a complete year: listed closures closed, other weekdays open, the warning gone', () => {
    const calendar = withFile(closuresFile2027());
    assert.deepEqual(calendar.coverage, {
      from: '2004-01-01',
      to: '2027-12-31',
      source: 'file',
      packageTo: '2026-12-31',
    });
    for (const date of TEST_CLOSURES_2027) assert.equal(calendar.isTradingDay(date), false, date);
    assert.equal(calendar.isTradingDay('2027-01-04'), true); // a Monday
    assert.equal(calendar.isTradingDay('2027-01-02'), false); // a Saturday
    const year = calendar.days('2027-01-01', '2027-12-31');
    assert.equal(year.length, 365);
    // 261 weekdays in 2027, less the 18 invented closures.
    assert.equal(year.filter((d) => d.isTradingDay).length, 261 - 18);

    assert.ok(packageOnly.coverageWarning('2026-12-01'));
    assert.equal(calendar.coverageWarning('2026-12-01'), null);
    assert.equal(calendar.coverageWarning('2027-11-30'), null);
    assert.match(calendar.coverageWarning('2027-12-01') ?? '', /2028 is not covered yet/);
    assert.match(
      calendar.coverageWarning('2027-12-01') ?? '',
      /Add 2028 to the exchange closures file/,
    );

    assert.deepEqual(calendar.knownDay('2027-02-08'), {
      isTradingDay: false,
      source: 'file',
      notice: TEST_NOTICE_2027,
    });
    assert.deepEqual(calendar.knownDay('2027-03-01'), {
      isTradingDay: true,
      source: 'file',
      notice: TEST_NOTICE_2027,
    });
    assert.deepEqual(calendar.knownDay('2026-10-01'), {
      isTradingDay: false,
      source: 'package',
      notice: null,
    });
    assert.equal(calendar.knownDay('2028-01-03'), null);
    assert.throws(() => calendar.isTradingDay('2028-01-03'), CalendarRangeError);
  });

  it('extends nothing with an incomplete year, but knows its listed closures', () => {
    const calendar = withFile({
      years: { '2027': { complete: false, notice: 'partial', closures: [{ date: '2027-02-08' }] } },
    });
    assert.equal(calendar.coverage.to, '2026-12-31');
    assert.equal(calendar.coverage.source, 'package');
    assert.ok(calendar.coverageWarning('2026-12-01'));
    assert.throws(() => calendar.isTradingDay('2027-02-08'), CalendarRangeError);
    assert.deepEqual(calendar.knownDay('2027-02-08'), {
      isTradingDay: false,
      source: 'file',
      notice: 'partial',
    });
    assert.equal(calendar.knownDay('2027-02-09'), null);
  });

  it('corrects a year the package covers: closes a weekday it opens, re-opens one it closes; the file wins', () => {
    assert.equal(packageOnly.isTradingDay('2025-05-06'), true);
    assert.equal(packageOnly.isTradingDay('2025-05-05'), false); // May Day holiday, a Monday
    const calendar = withFile({
      years: {
        '2025': {
          complete: false,
          notice: 'a correction',
          closures: [{ date: '2025-05-06' }],
          reopened: [{ date: '2025-05-05' }],
        },
      },
    });
    assert.equal(calendar.coverage.to, '2026-12-31');
    assert.equal(calendar.isTradingDay('2025-05-06'), false);
    assert.equal(calendar.isTradingDay('2025-05-05'), true);
    assert.equal(calendar.knownDay('2025-05-06')?.source, 'file');
    assert.equal(calendar.knownDay('2025-05-07')?.source, 'package');
    // The file also wins over the closures built into this server (Lunar New Year's Eve 2024).
    assert.equal(packageOnly.isTradingDay('2024-02-09'), false);
    const reopened = withFile({
      years: {
        '2024': {
          complete: true,
          notice: 'n',
          closures: [{ date: '2024-02-08' }],
          reopened: [{ date: '2024-02-09' }],
        },
      },
    });
    assert.equal(reopened.isTradingDay('2024-02-08'), false);
    assert.equal(reopened.isTradingDay('2024-02-09'), true);
    assert.equal(reopened.coverage.source, 'package', 'a package year does not change the source');
  });

  it('extends over several complete years in a row', () => {
    const calendar = withFile(
      closuresFile2027({
        '2028': { complete: true, notice: 'n', closures: [{ date: '2028-01-03' }] },
      }),
    );
    assert.equal(calendar.coverage.to, '2028-12-31');
    assert.equal(calendar.isTradingDay('2028-01-03'), false);
    assert.equal(calendar.isTradingDay('2028-01-04'), true);
  });

  it('says which years a new calendar answers differently', () => {
    const added = withFile(closuresFile2027());
    assert.deepEqual(calendarChanges(packageOnly, added), { changed: [2027], uncovered: [] });
    assert.deepEqual(calendarChanges(added, added), { changed: [], uncovered: [] });
    assert.deepEqual(calendarChanges(added, packageOnly), { changed: [], uncovered: [2027] });
    const corrected = withFile(
      closuresFile2027({
        '2025': { complete: false, notice: 'n', closures: [{ date: '2025-05-06' }] },
      }),
    );
    assert.deepEqual(calendarChanges(added, corrected), { changed: [2025], uncovered: [] });
    // A listed closure the package already has changes no day.
    const redundant = withFile({
      years: { '2026': { complete: false, notice: 'n', closures: [{ date: '2026-10-01' }] } },
    });
    assert.deepEqual(calendarChanges(packageOnly, redundant), { changed: [], uncovered: [] });
  });

  it('answers from the calendar it holds now, once replaced', () => {
    const live = new LiveOfflineCalendar(packageOnly);
    assert.throws(() => live.isTradingDay('2027-02-08'), CalendarRangeError);
    const next = withFile(closuresFile2027());
    assert.equal(live.replace(next), packageOnly);
    assert.equal(live.current, next);
    assert.equal(live.isTradingDay('2027-02-08'), false);
    assert.equal(live.coveredRange.to, '2027-12-31');
    assert.equal(live.coverage.source, 'file');
    assert.equal(live.closures?.years[0]?.year, 2027);
    assert.equal(live.days('2027-02-08', '2027-02-09').length, 2);
    assert.equal(live.knownDay('2027-02-08')?.source, 'file');
    assert.equal(live.coverageWarning('2026-12-01'), null);
  });
});
