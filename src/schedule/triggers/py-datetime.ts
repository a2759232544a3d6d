import { sameTz, type Tz } from './time-zone.js';

/**
 * An aware Python `datetime` as APScheduler 3.11 handles it: a wall-clock time (kept as the
 * milliseconds a UTC clock would show, so field access is plain UTC arithmetic), PEP 495's
 * `fold` and a tzinfo. The triggers are ported line by line on top of this, because Python's
 * rules differ from instant arithmetic exactly where daylight saving time matters: adding a
 * timedelta moves the wall clock (and resets fold), comparing or subtracting two datetimes
 * that share a tzinfo looks only at their wall clocks, and a wall time in a skipped hour is a
 * valid value whose instant depends on fold.
 */
export class PyDateTime {
  constructor(
    readonly wall: number,
    readonly fold: 0 | 1,
    readonly tz: Tz,
  ) {}

  /** `datetime.fromtimestamp(t, tz)`, i.e. `astimezone(tz)` of an instant. */
  static fromInstant(instant: number, tz: Tz): PyDateTime {
    if (tz.kind === 'fixed') return new PyDateTime(instant + tz.offsetMs, 0, tz);
    const offset = tz.rules.offsetAtInstant(instant);
    const wall = instant + offset;
    // The later of two instants that show the same wall time is the one with fold=1.
    const fold = tz.rules.offsetForWall(wall, 0) === offset ? 0 : 1;
    return new PyDateTime(wall, fold, tz);
  }

  /** `datetime(y, m, d, H, M, S, tzinfo=tz, fold=fold)`; month is 1-12. */
  static of(fields: WallFields, tz: Tz, fold: 0 | 1 = 0): PyDateTime {
    return new PyDateTime(wallOf(fields), fold, tz);
  }

  /** APScheduler's `localize(dt, tz)` for ZoneInfo: `normalize(dt.replace(tzinfo=tz))`. */
  static localize(fields: WallFields, tz: Tz): PyDateTime {
    return PyDateTime.fromInstant(PyDateTime.of(fields, tz).instant(), tz);
  }

  utcoffset(): number {
    return this.tz.kind === 'fixed'
      ? this.tz.offsetMs
      : this.tz.rules.offsetForWall(this.wall, this.fold);
  }

  /** `timestamp()` in milliseconds. */
  instant(): number {
    return this.wall - this.utcoffset();
  }

  toDate(): Date {
    return new Date(this.instant());
  }

  /** `self + timedelta(milliseconds=ms)`: wall-clock arithmetic, and the result has fold=0. */
  plus(ms: number): PyDateTime {
    return new PyDateTime(this.wall + ms, 0, this.tz);
  }

  /** APScheduler's `datetime_utc_add`: add in UTC, then convert back to this tzinfo. */
  utcPlus(ms: number): PyDateTime {
    return PyDateTime.fromInstant(this.instant() + ms, this.tz);
  }

  astimezone(tz: Tz): PyDateTime {
    return sameTz(this.tz, tz) ? this : PyDateTime.fromInstant(this.instant(), tz);
  }

  get year(): number {
    return new Date(this.wall).getUTCFullYear();
  }
  get month(): number {
    return new Date(this.wall).getUTCMonth() + 1;
  }
  get day(): number {
    return new Date(this.wall).getUTCDate();
  }
  get hour(): number {
    return new Date(this.wall).getUTCHours();
  }
  get minute(): number {
    return new Date(this.wall).getUTCMinutes();
  }
  get second(): number {
    return new Date(this.wall).getUTCSeconds();
  }
  /** `weekday()`: Monday is 0, Sunday is 6. */
  get weekday(): number {
    return (new Date(this.wall).getUTCDay() + 6) % 7;
  }
  /** `isocalendar()[1]`: the ISO 8601 week number. */
  get isoWeek(): number {
    const date = new Date(Date.UTC(this.year, this.month - 1, this.day));
    // The Thursday of this date's ISO week decides which year the week belongs to.
    date.setUTCDate(date.getUTCDate() + 3 - this.weekday);
    const firstThursday = new Date(Date.UTC(date.getUTCFullYear(), 0, 4));
    firstThursday.setUTCDate(
      firstThursday.getUTCDate() + 3 - ((firstThursday.getUTCDay() + 6) % 7),
    );
    return 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  }

  /** The wall clock as `YYYY-MM-DD HH:MM:SS` (what `str()` shows before the offset). */
  wallString(): string {
    return new Date(this.wall).toISOString().slice(0, 19).replace('T', ' ');
  }
}

export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

export function wallOf(fields: WallFields): number {
  const date = new Date(0);
  date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  date.setUTCHours(
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
    fields.millisecond ?? 0,
  );
  return date.getTime();
}

/** Python's `datetime._cmp` for ordering: wall clocks when the tzinfo (or the offset) is shared, else instants. */
export function compare(a: PyDateTime, b: PyDateTime): number {
  if (sameTz(a.tz, b.tz) || a.utcoffset() === b.utcoffset()) return Math.sign(a.wall - b.wall);
  return Math.sign(a.instant() - b.instant());
}

/** Python's `a - b` in milliseconds: wall clocks when the tzinfo (or the offset) is shared, else instants. */
export function difference(a: PyDateTime, b: PyDateTime): number {
  if (sameTz(a.tz, b.tz) || a.utcoffset() === b.utcoffset()) return a.wall - b.wall;
  return a.instant() - b.instant();
}

/** Python's `min(a, b)`: the first argument unless the second is smaller. */
export function pyMin(a: PyDateTime, b: PyDateTime): PyDateTime {
  return compare(b, a) < 0 ? b : a;
}

/** The number of days in a month and the weekday (Monday = 0) of its first day: `calendar.monthrange`. */
export function monthRange(year: number, month: number): { firstWeekday: number; days: number } {
  const first = new Date(0);
  first.setUTCFullYear(year, month - 1, 1);
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  return { firstWeekday: (first.getUTCDay() + 6) % 7, days: last.getUTCDate() };
}
