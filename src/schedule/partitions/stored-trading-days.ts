/**
 * The stored trading calendar as partitions read it: a day is known only when the calendar has a
 * row for it. Answers come from the control target's `trade_day` (TradeDayQueries), so every
 * process sharing the store agrees on what a trading day is.
 */
export interface StoredTradingDays {
  /** True or false from the stored calendar; undefined when the day is not stored. */
  isTradingDay(day: string): Promise<boolean | undefined>;
  /** The last trading day before `day`, or null when none is stored. */
  previousTradingDay(day: string): Promise<string | null>;
  /** Stored trading days in [from, to], ascending. */
  tradingDaysBetween(from: string, to: string): Promise<string[]>;
  /** The first and last stored day, or null when the calendar is empty. */
  storedRange(): Promise<{ first: string; last: string } | null>;
}
