import { applyJitter } from './jitter.js';
import { compare, difference, PyDateTime } from './py-datetime.js';
import type { Tz } from './time-zone.js';
import type { Trigger } from './trigger.js';

export interface IntervalTriggerOptions {
  readonly intervalMs: number;
  readonly tz: Tz;
  /** The zone APScheduler's scheduler reads `now` in (its own); it decides how `now - start_date` is taken. */
  readonly schedulerTz: Tz;
  readonly startDate: PyDateTime;
  readonly endDate: PyDateTime | null;
  readonly jitter: number | null;
  readonly random: () => number;
}

/**
 * APScheduler 3.11's `IntervalTrigger.get_next_fire_time`, ported line by line. With ZoneInfo
 * zones (3.11) `previous + interval` is Python timedelta arithmetic on an aware datetime: the
 * wall clock moves by the interval and the result is then normalized. So across a DST change an
 * interval of whole days keeps the wall-clock time, an interval of hours may be an hour longer
 * or shorter in absolute time, and in the repeated hour the second occurrence is skipped. A
 * start_date with an explicit offset (e.g. "+08:00") makes the arithmetic absolute instead.
 */
export class IntervalTrigger implements Trigger {
  readonly type = 'interval' as const;

  constructor(private readonly options: IntervalTriggerOptions) {}

  get timeZone(): string {
    return this.options.tz.name;
  }

  describe(): string {
    return `interval[${timedeltaString(this.options.intervalMs)}] ${this.timeZone}`;
  }

  nextFireTime(previousFireTime: Date | null, now: Date): Promise<Date | null> {
    // A throw becomes a rejection, as from an async function.
    return new Promise((resolve) => resolve(this.next(previousFireTime, now)));
  }

  next(previousFireTime: Date | null, now: Date): Date | null {
    const { intervalMs, startDate, endDate } = this.options;
    let next: PyDateTime;
    const nowDate = PyDateTime.fromInstant(now.getTime(), this.options.schedulerTz);
    if (previousFireTime !== null) {
      // APScheduler's previous fire time is the normalized datetime it returned, in start_date's tzinfo.
      next = PyDateTime.fromInstant(previousFireTime.getTime(), startDate.tz).plus(intervalMs);
    } else if (compare(startDate, nowDate) > 0) {
      next = startDate;
    } else {
      const intervals = Math.ceil(difference(nowDate, startDate) / intervalMs);
      next = startDate.plus(intervalMs * intervals);
    }
    if (this.options.jitter !== null)
      next = applyJitter(next, this.options.jitter, this.options.random);
    if (endDate === null || compare(next, endDate) <= 0) return next.toDate();
    return null;
  }
}

/** Python's `str(timedelta)`, e.g. "1:00:00", "1 day, 0:00:00", "0:00:00.500000". */
export function timedeltaString(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  const seconds = Math.floor(rest / 1000);
  const clock = `${Math.floor(seconds / 3600)}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  const fraction = rest % 1000 === 0 ? '' : `.${String((rest % 1000) * 1000).padStart(6, '0')}`;
  return `${days !== 0 ? `${days} day${Math.abs(days) !== 1 ? 's' : ''}, ` : ''}${clock}${fraction}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
