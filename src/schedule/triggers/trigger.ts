export type TriggerType = 'cron' | 'interval' | 'date' | 'trading_day';

export interface Trigger {
  readonly type: TriggerType;
  /** The zone the trigger computes in: its `timezone` argument, else the default it was parsed with. */
  readonly timeZone: string;
  /** A short human description, e.g. "cron[hour='9', minute='0', second='0'] Asia/Shanghai". */
  describe(): string;
  /**
   * APScheduler's `get_next_fire_time(previous_fire_time, now)`: null when it will never fire
   * again. Pass as `previousFireTime` exactly what the previous call returned (jitter included),
   * as APScheduler does; `now` is the current time, not earlier than `previousFireTime`.
   */
  nextFireTime(previousFireTime: Date | null, now: Date): Promise<Date | null>;
}

export interface TriggerDeps {
  /** The zone of triggers without a `timezone` argument (APScheduler passes the scheduler's). */
  defaultTimeZone: string;
  /** Whether the stored calendar marks this `YYYY-MM-DD` a trading day; undefined when it has no row for it. */
  isTradingDay(date: string): Promise<boolean | undefined>;
  warn(message: string): void;
  /** For jitter, like Python's `random.random()`: a number in [0, 1). Tests pass a fixed one. */
  random?: () => number;
  /**
   * The clock read when a trigger is built: an interval without `start_date` starts one interval
   * after it, a date trigger without `run_date` runs at it (as APScheduler does at construction).
   */
  now?: () => Date;
}
