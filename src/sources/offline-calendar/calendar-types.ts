import type { ExchangeClosures } from './closures-schema.js';

/** One calendar day; `calendarDate` is YYYY-MM-DD. */
export interface CalendarDay {
  calendarDate: string;
  isTradingDay: boolean;
}

/** Inclusive range of YYYY-MM-DD dates. */
export interface CalendarRange {
  from: string;
  to: string;
}

/**
 * Where the offline calendar's answer comes from: `package` is the chinese-days holiday data with
 * the exchange closures built into this server; `file` is the operator's exchange closures file.
 */
export type CalendarSource = 'package' | 'file';

export interface CalendarCoverage extends CalendarRange {
  /** Where the last covered year comes from: the package, or a complete year of the closures file. */
  source: CalendarSource;
  /** The last day the package alone covers. */
  packageTo: string;
}

/** What the offline calendar knows of one day, and which source decided it. */
export interface KnownDay {
  isTradingDay: boolean;
  source: CalendarSource;
  /** For `file`: the notice of the year's entry in the closures file. */
  notice: string | null;
}

export interface OfflineCalendar {
  readonly coveredRange: CalendarRange;
  readonly coverage: CalendarCoverage;
  /** The closures file the calendar was built with (null when there is none). */
  readonly closures: ExchangeClosures | null;
  /** Every calendar day from..to inclusive, ascending; throws CalendarRangeError outside coverage. */
  days(from: string, to: string): CalendarDay[];
  isTradingDay(date: string): boolean;
  /**
   * What the calendar knows of a day: inside coverage, its answer and source; outside, only a
   * closure listed in the closures file (a year not declared complete); otherwise null.
   */
  knownDay(date: string): KnownDay | null;
  /**
   * Warning text when, from 1 December on, next year is not covered yet (the exchange publishes
   * next year's closures in December); otherwise null. `today` is YYYY-MM-DD in the market's time zone.
   */
  coverageWarning(today: string): string | null;
}
