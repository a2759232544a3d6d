import { CalendarRangeError } from './errors.js';
import type { OfflineCalendar } from './calendar-types.js';

export interface CalendarChanges {
  /** Years `after` covers in which some day's answer differs from `before`'s, or which `before` did not cover. */
  changed: number[];
  /** Years `before` covered and `after` does not (their stored rows stay as they are). */
  uncovered: number[];
}

const yearOf = (date: string) => Number(date.slice(0, 4));

/** Which years a new calendar answers differently, day by day (a year is about 365 Set probes). */
export function calendarChanges(before: OfflineCalendar, after: OfflineCalendar): CalendarChanges {
  const changed: number[] = [];
  for (let year = yearOf(after.coveredRange.from); year <= yearOf(after.coveredRange.to); year++) {
    const next = after.days(`${year}-01-01`, `${year}-12-31`);
    const previous = daysIfCovered(before, year);
    if (!previous || previous.some((day, i) => day.isTradingDay !== next[i]!.isTradingDay))
      changed.push(year);
  }
  const uncovered: number[] = [];
  for (let year = yearOf(after.coveredRange.to) + 1; year <= yearOf(before.coveredRange.to); year++)
    uncovered.push(year);
  return { changed, uncovered };
}

function daysIfCovered(calendar: OfflineCalendar, year: number) {
  try {
    return calendar.days(`${year}-01-01`, `${year}-12-31`);
  } catch (error) {
    if (error instanceof CalendarRangeError) return null;
    throw error;
  }
}
