import { z } from 'zod';
import { ValidationError } from '../../errors.js';

const MS_PER_DAY = 86_400_000;

/**
 * The exchange's differences from the public-holiday calendar are known and listed from 2004 on;
 * before that they are many and not modelled, so earlier dates are BaoStock's.
 */
export const FIRST_COVERED_YEAR = 2004;
const isoDate = z.iso.date();

/**
 * Dates are handled as whole days since 1970-01-01 (UTC), so stepping through a range and finding
 * the weekday never depends on the server's time zone or daylight-saving rules.
 */
export type DayNumber = number;

/** Parses a YYYY-MM-DD string that names a real date; the error names the argument and the value. */
export function parseCalendarDate(value: unknown, field: string): DayNumber {
  const parsed = isoDate.safeParse(value);
  if (!parsed.success) {
    const message = `${JSON.stringify(value)} is not a real date in YYYY-MM-DD form`;
    throw new ValidationError(`${field}: ${message}`, [{ path: field, message }]);
  }
  return Date.parse(parsed.data) / MS_PER_DAY;
}

export function formatDayNumber(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 (day 0) was a Thursday. */
function weekdayIndex(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** True for Monday to Friday. */
export function isWeekday(day: DayNumber): boolean {
  const weekday = weekdayIndex(day);
  return weekday >= 1 && weekday <= 5;
}

const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** The English name of the day's weekday, for messages ("2027-01-02 is a Saturday"). */
export function weekdayName(day: DayNumber): string {
  return WEEKDAY_NAMES[weekdayIndex(day)]!;
}
