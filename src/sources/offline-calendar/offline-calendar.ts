import { ValidationError, type Problem } from '../../errors.js';
import { formatProblems } from '../../validation.js';
import {
  FIRST_COVERED_YEAR,
  formatDayNumber,
  isWeekday,
  parseCalendarDate,
  type DayNumber,
} from './calendar-dates.js';
import type {
  CalendarCoverage,
  CalendarDay,
  CalendarRange,
  KnownDay,
  OfflineCalendar,
} from './calendar-types.js';
import type { ClosuresYear, ExchangeClosures } from './closures-schema.js';
import { CalendarRangeError } from './errors.js';
import { EXCHANGE_WEEKDAY_CLOSURES } from './exchange-closures.js';
import { loadChineseDaysHolidays, type PublicHolidays } from './public-holidays.js';

/**
 * The Shanghai Stock Exchange calendar without a network: a day is a trading day when it is Monday
 * to Friday, not a public holiday and not one of EXCHANGE_WEEKDAY_CLOSURES, nor a closure of the
 * operator's closures file, unless that file re-opens it (the file wins). Make-up working weekends
 * (调休上班) are never trading days, which is why the holiday data's own "workday" answer is unused.
 *
 * Covers 2004-01-01 to 31 December of the last year in the holiday data, or of the last year the
 * closures file declares complete after it. `publicHolidays` defaults to the installed chinese-days
 * package; pass other data to try a newer data set. Throws ValidationError (with the path of the
 * year) when a complete year of the file would leave a year uncovered before it.
 */
export function createOfflineCalendar(
  publicHolidays: PublicHolidays = loadChineseDaysHolidays(),
  closures: ExchangeClosures | null = null,
): OfflineCalendar {
  const { firstYear, lastYear: packageLastYear } = publicHolidays;
  if (firstYear > FIRST_COVERED_YEAR || packageLastYear < FIRST_COVERED_YEAR) {
    throw new ValidationError(
      `public-holiday data covers ${firstYear}–${packageLastYear}, but the offline calendar needs every year from ${FIRST_COVERED_YEAR}`,
    );
  }
  const fileYears = new Map<number, ClosuresYear>(closures?.years.map((y) => [y.year, y]));
  const lastYear = lastCoveredYear(fileYears, packageLastYear);
  const coverage: CalendarCoverage = Object.freeze({
    from: `${FIRST_COVERED_YEAR}-01-01`,
    to: `${lastYear}-12-31`,
    source: lastYear > packageLastYear ? 'file' : 'package',
    packageTo: `${packageLastYear}-12-31`,
  });
  const coveredRange: CalendarRange = Object.freeze({ from: coverage.from, to: coverage.to });
  const firstDay = parseCalendarDate(coveredRange.from, 'coveredRange.from');
  const lastDay = parseCalendarDate(coveredRange.to, 'coveredRange.to');
  const warnFromDay = parseCalendarDate(`${lastYear}-12-01`, 'warning start');
  const nextYear = lastYear + 1;

  // Built once per calendar; every lookup after this is a Set or Map probe.
  const closedDates = new Set<string>(publicHolidays.dates);
  for (const closure of EXCHANGE_WEEKDAY_CLOSURES) closedDates.add(closure.date);
  /** Days the file decides, with the year entry that decides them. */
  const fileDays = new Map<string, { open: boolean; year: ClosuresYear }>();
  for (const year of fileYears.values()) {
    for (const day of year.closures) fileDays.set(day.date, { open: false, year });
    for (const day of year.reopened) fileDays.set(day.date, { open: true, year });
  }

  const requireCovered = (from: DayNumber, to: DayNumber, requested: CalendarRange): void => {
    if (from < firstDay || to > lastDay) throw new CalendarRangeError(requested, coveredRange);
  };
  const isTradingDayNumber = (day: DayNumber, date: string): boolean => {
    if (!isWeekday(day)) return false;
    const listed = fileDays.get(date);
    return listed ? listed.open : !closedDates.has(date);
  };

  return {
    coveredRange,
    coverage,
    closures,

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

    knownDay(date: string): KnownDay | null {
      const day = parseCalendarDate(date, 'date');
      const listed = fileDays.get(date);
      if (day < firstDay || day > lastDay) {
        // An incomplete year beyond coverage: only its listed closures are known.
        return listed && !listed.open
          ? { isTradingDay: false, source: 'file', notice: listed.year.notice }
          : null;
      }
      const year = Number(date.slice(0, 4));
      const entry = listed?.year ?? (year > packageLastYear ? fileYears.get(year) : undefined);
      return {
        isTradingDay: isTradingDayNumber(day, date),
        source: entry ? 'file' : 'package',
        notice: entry?.notice ?? null,
      };
    },

    coverageWarning(today: string): string | null {
      const day = parseCalendarDate(today, 'today');
      if (day < warnFromDay) return null;
      const fix =
        `Add ${nextYear} to the exchange closures file from the exchange's ${nextYear} closure notice, or update ` +
        `the chinese-days package once it has ${nextYear} holidays; until then BaoStock serves dates from ${nextYear}-01-01.`;
      if (day <= lastDay) {
        return `The offline trading calendar covers ${coveredRange.from} to ${coveredRange.to}: ${nextYear} is not covered yet (the exchange publishes its ${nextYear} closures in December). ${fix}`;
      }
      return `The offline trading calendar covers ${coveredRange.from} to ${coveredRange.to}, which ended before today (${today}). ${fix}`;
    },
  };
}

/**
 * The package's last year, extended by each following year the file declares complete. A complete
 * year after a gap would leave the gap's days guessed, so it is refused, naming the year.
 */
function lastCoveredYear(fileYears: ReadonlyMap<number, ClosuresYear>, packageLastYear: number) {
  let lastYear = packageLastYear;
  while (fileYears.get(lastYear + 1)?.complete) lastYear++;
  const problems: Problem[] = [];
  for (const entry of fileYears.values()) {
    if (entry.complete && entry.year > lastYear + 1) {
      problems.push({
        path: `years.${entry.year}`,
        message:
          `declared complete, but ${lastYear + 1} is covered neither by the chinese-days package (which ends with ` +
          `${packageLastYear}) nor by a complete year of this file; the calendar cannot skip a year`,
      });
    }
  }
  if (problems.length > 0) throw new ValidationError(formatProblems(problems), problems);
  return lastYear;
}
