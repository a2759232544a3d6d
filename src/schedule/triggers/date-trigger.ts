import type { PyDateTime } from './py-datetime.js';
import type { Tz } from './time-zone.js';
import type { Trigger } from './trigger.js';

/**
 * APScheduler 3.11's `DateTrigger`: `run_date` when it has not fired yet, whether or not that is
 * in the past (the scheduler then decides about a missed run), and never again after.
 */
export class DateTrigger implements Trigger {
  readonly type = 'date' as const;

  constructor(
    private readonly runDate: PyDateTime,
    private readonly tz: Tz,
  ) {}

  get timeZone(): string {
    return this.tz.name;
  }

  describe(): string {
    const offset = this.runDate.utcoffset();
    const sign = offset < 0 ? '-' : '+';
    const minutes = Math.abs(offset) / 60_000;
    const shown = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return `date[${this.runDate.wallString()}${shown}] ${this.timeZone}`;
  }

  nextFireTime(previousFireTime: Date | null): Promise<Date | null> {
    return Promise.resolve(previousFireTime === null ? this.runDate.toDate() : null);
  }
}
