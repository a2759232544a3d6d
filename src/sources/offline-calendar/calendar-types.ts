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

export interface OfflineCalendar {
  readonly coveredRange: CalendarRange;
  /** Every calendar day from..to inclusive, ascending; throws CalendarRangeError outside coverage. */
  days(from: string, to: string): CalendarDay[];
  isTradingDay(date: string): boolean;
  /**
   * Warning text when, from 1 December on, next year is not covered yet (the exchange publishes
   * next year's closures in December); otherwise null. `today` is YYYY-MM-DD in the market's time zone.
   */
  coverageWarning(today: string): string | null;
}
