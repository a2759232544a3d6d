import { PyDateTime } from './py-datetime.js';
import type { Tz } from './time-zone.js';
import type { Trigger, TriggerDeps } from './trigger.js';

const DAY = 86_400_000;
/** How many calendar days ahead the search looks before concluding the trigger will not fire. */
export const TRADING_DAY_SEARCH_DAYS = 400;

export interface TradingDayTriggerOptions {
  readonly tz: Tz;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly offsetDays: number;
  readonly deps: Pick<TriggerDeps, 'isTradingDay' | 'warn'>;
}

/**
 * Ours (APScheduler has no equivalent): fires once a day at `hour:minute:second` in its zone on
 * the days derived from the trading calendar.
 *
 * `offset_days` = n moves every trading day by n calendar days: the trigger fires on calendar
 * day D exactly when day D − n is a trading day. So 0 fires on trading days; −1 fires on the
 * calendar day before each trading day (a Sunday before a Monday session, the last day of a
 * holiday, and also a trading day followed by another); +1 fires on the calendar day after each
 * trading day (e.g. the Saturday after a Friday session).
 *
 * A day the stored calendar has no row for counts as a trading day when it is Monday to Friday,
 * and `warn` is called once per such day. A wall time skipped by DST fires that much later (as
 * APScheduler's cron does); a repeated one fires at its first occurrence only.
 */
export class TradingDayTrigger implements Trigger {
  readonly type = 'trading_day' as const;
  private readonly warnedDays = new Set<string>();

  constructor(private readonly options: TradingDayTriggerOptions) {}

  get timeZone(): string {
    return this.options.tz.name;
  }

  describe(): string {
    const { hour, minute, second, offsetDays } = this.options;
    const offset = offsetDays !== 0 ? `, offset_days=${offsetDays}` : '';
    return `trading_day[hour='${hour}', minute='${minute}', second='${second}'${offset}] ${this.timeZone}`;
  }

  async nextFireTime(previousFireTime: Date | null, now: Date): Promise<Date | null> {
    const { tz, hour, minute, second, offsetDays } = this.options;
    // Like the cron trigger: strictly after the previous fire time, else from now.
    const nowMs = now.getTime();
    const from =
      previousFireTime !== null && nowMs >= previousFireTime.getTime()
        ? Math.floor(previousFireTime.getTime() / 1000) * 1000 + 1000
        : Math.ceil(nowMs / 1000) * 1000;
    const firstDay = dayStart(PyDateTime.fromInstant(from, tz).wall);
    for (let day = firstDay; day < firstDay + TRADING_DAY_SEARCH_DAYS * DAY; day += DAY) {
      const fireAt = new PyDateTime(
        day + ((hour * 60 + minute) * 60 + second) * 1000,
        0,
        tz,
      ).instant();
      if (fireAt < from) continue;
      if (await this.isTradingDay(day - offsetDays * DAY)) return new Date(fireAt);
    }
    this.options.deps.warn(
      `${this.describe()}: no firing day within ${TRADING_DAY_SEARCH_DAYS} days after ${new Date(from).toISOString()}; it will not fire`,
    );
    return null;
  }

  private async isTradingDay(day: number): Promise<boolean> {
    const date = new Date(day).toISOString().slice(0, 10);
    const known = await this.options.deps.isTradingDay(date);
    if (known !== undefined) return known;
    const weekday = new Date(day).getUTCDay();
    const assumed = weekday >= 1 && weekday <= 5;
    if (!this.warnedDays.has(date)) {
      this.warnedDays.add(date);
      this.options.deps.warn(
        `the trading calendar has no row for ${date}; ${this.describe()} treats it as ${assumed ? 'a trading day (Monday to Friday)' : 'a non-trading day (weekend)'}`,
      );
    }
    return assumed;
  }
}

function dayStart(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}
