import { ValidationError } from '../../errors.js';
import { formatDayNumber, isWeekday, parseCalendarDate, type DayNumber } from './calendar-dates.js';
import type { CalendarDay, CalendarRange, OfflineCalendar } from './calendar-types.js';
import { CalendarRangeError } from './errors.js';
import { EXCHANGE_WEEKDAY_CLOSURES } from './exchange-closures.js';
import { loadChineseDaysHolidays, type PublicHolidays } from './public-holidays.js';

/**
 * The exchange's differences from the public-holiday calendar are known and listed from 2004 on;
 * before that they are many and not modelled, so earlier dates are BaoStock's.
 */
const FIRST_COVERED_YEAR = 2004;

/**
 * The Shanghai Stock Exchange calendar without a network: a day is a trading day when it is Monday
 * to Friday, not a public holiday and not one of EXCHANGE_WEEKDAY_CLOSURES. Make-up working weekends
 * (调休上班) are never trading days, which is why the holiday data's own "workday" answer is unused.
 *
 * Covers 2004-01-01 to 31 December of the last year in the holiday data. `publicHolidays` defaults
 * to the installed chinese-days package; pass other data to try a newer data set.
 */
export function createOfflineCalendar(
  publicHolidays: PublicHolidays = loadChineseDaysHolidays(),
): OfflineCalendar {
  const { firstYear, lastYear } = publicHolidays;
  if (firstYear > FIRST_COVERED_YEAR || lastYear < FIRST_COVERED_YEAR) {
    throw new ValidationError(
      `public-holiday data covers ${firstYear}–${lastYear}, but the offline calendar needs every year from ${FIRST_COVERED_YEAR}`,
    );
  }
  const coveredRange: CalendarRange = Object.freeze({
    from: `${FIRST_COVERED_YEAR}-01-01`,
    to: `${lastYear}-12-31`,
  });
  const firstDay = parseCalendarDate(coveredRange.from, 'coveredRange.from');
  const lastDay = parseCalendarDate(coveredRange.to, 'coveredRange.to');
  const warnFromDay = parseCalendarDate(`${lastYear}-12-01`, 'warning start');
  const nextYear = lastYear + 1;

  // Built once per calendar; every lookup after this is one Set probe.
  const closedDates = new Set<string>(publicHolidays.dates);
  for (const closure of EXCHANGE_WEEKDAY_CLOSURES) closedDates.add(closure.date);

  const requireCovered = (from: DayNumber, to: DayNumber, requested: CalendarRange): void => {
    if (from < firstDay || to > lastDay) throw new CalendarRangeError(requested, coveredRange);
  };
  const isTradingDayNumber = (day: DayNumber, date: string): boolean =>
    isWeekday(day) && !closedDates.has(date);

  return {
    coveredRange,

    days(from: string, to: string): CalendarDay[] {
      const fromDay = parseCalendarDate(from, 'from');
      const toDay = parseCalendarDate(to, 'to');
      if (fromDay > toDay) {
        const message = `from (${from}) is after to (${to})`;
        throw new ValidationError(message, [{ path: 'from', message }]);
      }
      requireCovered(fromDay, toDay, { from, to });
      const days: CalendarDay[] = [];
      for (let day = fromDay; day <= toDay; day++) {
        const calendarDate = formatDayNumber(day);
        days.push({ calendarDate, isTradingDay: isTradingDayNumber(day, calendarDate) });
      }
      return days;
    },

    isTradingDay(date: string): boolean {
      const day = parseCalendarDate(date, 'date');
      requireCovered(day, day, { from: date, to: date });
      return isTradingDayNumber(day, date);
    },

    coverageWarning(today: string): string | null {
      const day = parseCalendarDate(today, 'today');
      if (day < warnFromDay) return null;
      const fix =
        `Update the chinese-days package once it has ${nextYear} holidays (and check the exchange's ${nextYear} ` +
        `closure notice for weekday closures it lacks); until then BaoStock serves dates from ${nextYear}-01-01.`;
      if (day <= lastDay) {
        return `The offline trading calendar covers ${coveredRange.from} to ${coveredRange.to}: ${nextYear} is not covered yet (the exchange publishes its ${nextYear} closures in December). ${fix}`;
      }
      return `The offline trading calendar covers ${coveredRange.from} to ${coveredRange.to}, which ended before today (${today}). ${fix}`;
    },
  };
}
