import type { CronField, RealFieldName } from './cron-fields.js';
import { applyJitter } from './jitter.js';
import { compare, PyDateTime, pyMin, wallOf } from './py-datetime.js';
import type { Tz } from './time-zone.js';
import type { Trigger } from './trigger.js';

export interface CronTriggerOptions {
  /** One per name in FIELD_NAMES, in that order. */
  readonly fields: readonly CronField[];
  readonly tz: Tz;
  readonly startDate: PyDateTime | null;
  readonly endDate: PyDateTime | null;
  readonly jitter: number | null;
  readonly random: () => number;
}

/**
 * APScheduler 3.11's `CronTrigger.get_next_fire_time` (with the 3.11.1/3.11.2 fixes for the
 * fall-back hour), ported line by line: starting from the first whole second after the previous
 * fire time (or from now / start_date), walk the fields from most to least significant; a field
 * whose value does not match is moved to its next matching value (resetting the less significant
 * fields) or, when there is none, the next more significant field is incremented.
 */
export class CronTrigger implements Trigger {
  readonly type = 'cron' as const;

  constructor(private readonly options: CronTriggerOptions) {}

  get timeZone(): string {
    return this.options.tz.name;
  }

  describe(): string {
    const given = this.options.fields
      .filter((field) => !field.isDefault)
      .map((field) => `${field.name}='${field.toString()}'`);
    return `cron[${given.join(', ')}] ${this.timeZone}`;
  }

  nextFireTime(previousFireTime: Date | null, now: Date): Promise<Date | null> {
    // A throw becomes a rejection, as from an async function.
    return new Promise((resolve) => resolve(this.next(previousFireTime, now)));
  }

  next(previousFireTime: Date | null, now: Date): Date | null {
    const { fields, tz, endDate } = this.options;
    let nextDate = PyDateTime.fromInstant(this.searchStart(previousFireTime, now), tz);
    let fieldnum = 0;
    while (fieldnum >= 0 && fieldnum < fields.length) {
      const field = fields[fieldnum]!;
      const currentValue = field.getValue(nextDate);
      const nextValue = field.getNextValue(nextDate);
      if (nextValue === null) {
        [nextDate, fieldnum] = this.incrementFieldValue(nextDate, fieldnum - 1);
      } else if (nextValue > currentValue) {
        if (field.real) {
          nextDate = this.setFieldValue(nextDate, fieldnum, nextValue);
          fieldnum += 1;
        } else {
          [nextDate, fieldnum] = this.incrementFieldValue(nextDate, fieldnum);
        }
      } else {
        fieldnum += 1;
      }
      if (endDate !== null && compare(nextDate, endDate) > 0) return null;
    }
    if (fieldnum < 0) return null;
    nextDate = applyJitter(nextDate, this.options.jitter, this.options.random);
    return (endDate !== null ? pyMin(nextDate, endDate) : nextDate).toDate();
  }

  /**
   * The instant the search starts at: `datetime_ceil` of `min(now, previous + 1µs)` (plus 1µs
   * more if that equals previous), or of `max(now, start_date)` on the first call. With
   * millisecond inputs this is "the first whole second after previous" in the usual case.
   * The rounding up is done in absolute time, so a time in the repeated hour keeps its fold;
   * rounding the wall clock would drop fold and send the search back an hour, the endless loop
   * APScheduler's 3.11.1/3.11.2 fixes (#1021) were about.
   */
  private searchStart(previousFireTime: Date | null, now: Date): number {
    const nowMs = now.getTime();
    if (previousFireTime !== null) {
      const previousMs = previousFireTime.getTime();
      if (nowMs < previousMs) return ceilToSecond(nowMs);
      return Math.floor(previousMs / 1000) * 1000 + 1000;
    }
    const { startDate } = this.options;
    return ceilToSecond(startDate !== null ? Math.max(nowMs, startDate.instant()) : nowMs);
  }

  /**
   * `_increment_field_value`: add one to field `fieldnum` (carrying into more significant fields
   * when it is at its maximum), reset the less significant ones to their minimum, and move the
   * date by that wall-clock difference in absolute time. Returns the field actually incremented.
   */
  private incrementFieldValue(dateval: PyDateTime, fieldnum: number): [PyDateTime, number] {
    const { fields } = this.options;
    const values: Partial<Record<RealFieldName, number>> = {};
    let i = 0;
    while (i < fields.length) {
      // Below zero the year has passed 9999 (or nothing can be incremented): Python ends with a negative fieldnum, i.e. no fire time.
      if (i < 0 || fieldnum < 0) return [dateval, -1];
      const field = fields[i]!;
      if (!field.real) {
        if (i === fieldnum) {
          fieldnum -= 1;
          i -= 1;
        } else {
          i += 1;
        }
        continue;
      }
      const name = field.name as RealFieldName;
      if (i < fieldnum) {
        values[name] = field.getValue(dateval);
        i += 1;
      } else if (i > fieldnum) {
        values[name] = field.getMin();
        i += 1;
      } else {
        const value = field.getValue(dateval);
        if (value === field.getMax(dateval)) {
          fieldnum -= 1;
          i -= 1;
        } else {
          values[name] = value + 1;
          i += 1;
        }
      }
    }
    const difference = wallOf(wallFields(values)) - dateval.wall;
    return [dateval.utcPlus(difference), fieldnum];
  }

  /** `_set_field_value`: this field to `newValue`, lesser ones to their minimum; same fold, not normalized. */
  private setFieldValue(dateval: PyDateTime, fieldnum: number, newValue: number): PyDateTime {
    const values: Partial<Record<RealFieldName, number>> = {};
    this.options.fields.forEach((field, i) => {
      if (!field.real) return;
      const name = field.name as RealFieldName;
      if (i < fieldnum) values[name] = field.getValue(dateval);
      else if (i > fieldnum) values[name] = field.getMin();
      else values[name] = newValue;
    });
    return PyDateTime.of(wallFields(values), this.options.tz, dateval.fold);
  }
}

function wallFields(values: Partial<Record<RealFieldName, number>>): Parameters<typeof wallOf>[0] {
  return {
    year: values.year ?? 1970,
    month: values.month ?? 1,
    day: values.day ?? 1,
    hour: values.hour ?? 0,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

function ceilToSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}
