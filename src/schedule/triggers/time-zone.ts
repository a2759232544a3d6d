const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * A time zone as APScheduler 3.11 sees it: a `ZoneInfo` (named zone with rules) or a fixed-offset
 * `datetime.timezone` (what `"UTC"` and strings with `Z`/`+08:00` become).
 */
export type Tz = ZoneTz | FixedTz;

export interface FixedTz {
  readonly kind: 'fixed';
  readonly name: string;
  readonly offsetMs: number;
}

export interface ZoneTz {
  readonly kind: 'zone';
  readonly name: string;
  readonly rules: ZoneRules;
}

interface Transition {
  /** First instant (ms since the epoch) of the new offset. */
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/**
 * Offsets of one IANA zone (the names luxon validates), read from Intl and cached per UTC day,
 * with a day's transition found by bisection. Assumes at most one transition per UTC day, which
 * holds for every zone in the tz database since 1970.
 */
export class ZoneRules {
  /** `format()` with a long offset is several times faster than luxon's `formatToParts`, which matters when a search runs for years. */
  private readonly offsetFormat: Intl.DateTimeFormat;
  private readonly dayStartOffsets = new Map<number, number>();
  private readonly dayTransitions = new Map<number, Transition | null>();

  constructor(readonly name: string) {
    this.offsetFormat = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      timeZoneName: 'longOffset',
    });
  }

  offsetAtInstant(instant: number): number {
    const day = Math.floor(instant / DAY);
    const transition = this.transitionOnDay(day);
    if (transition === null) return this.dayStartOffset(day);
    return instant < transition.at ? transition.before : transition.after;
  }

  /**
   * The UTC offset of a wall-clock time with Python's `fold` (PEP 495, as `zoneinfo` implements
   * it): in a repeated hour fold 0 is the first occurrence and fold 1 the second; in a skipped
   * hour fold 0 takes the offset from before the transition and fold 1 the one after.
   */
  offsetForWall(wall: number, fold: 0 | 1): number {
    const from = wall - 30 * HOUR;
    let offset = this.offsetAtInstant(from);
    for (let day = Math.floor(from / DAY); day <= Math.floor((wall + 30 * HOUR) / DAY); day++) {
      const transition = this.transitionOnDay(day);
      if (transition === null || transition.at < from) continue;
      const pick = fold === 0 ? Math.max : Math.min;
      if (wall < transition.at + pick(transition.before, transition.after)) break;
      offset = transition.after;
    }
    return offset;
  }

  private dayStartOffset(day: number): number {
    let offset = this.dayStartOffsets.get(day);
    if (offset === undefined) {
      if (this.dayStartOffsets.size > 20_000) this.dayStartOffsets.clear();
      offset = this.rawOffset(day * DAY);
      this.dayStartOffsets.set(day, offset);
    }
    return offset;
  }

  private transitionOnDay(day: number): Transition | null {
    const cached = this.dayTransitions.get(day);
    if (cached !== undefined) return cached;
    const before = this.dayStartOffset(day);
    const after = this.dayStartOffset(day + 1);
    let transition: Transition | null = null;
    if (before !== after) {
      let low = day * DAY;
      let high = low + DAY;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (this.rawOffset(middle) === before) low = middle;
        else high = middle;
      }
      transition = { at: high, before, after };
    }
    if (this.dayTransitions.size > 20_000) this.dayTransitions.clear();
    this.dayTransitions.set(day, transition);
    return transition;
  }

  private rawOffset(instant: number): number {
    const text = this.offsetFormat.format(instant);
    const match = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
    if (match === null)
      throw new Error(`cannot read the UTC offset of ${this.name} from ${JSON.stringify(text)}`);
    const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
    return (
      (sign === '-' ? -1 : 1) *
      ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) *
      1000
    );
  }
}

/** A memo of pure zone data (offsets never change), shared so triggers do not each ask Intl again. */
const zoneCache = new Map<string, ZoneTz>();

export function zoneTz(name: string): ZoneTz {
  let tz = zoneCache.get(name);
  if (tz === undefined) {
    tz = { kind: 'zone', name, rules: new ZoneRules(name) };
    zoneCache.set(name, tz);
  }
  return tz;
}

export function fixedTz(offsetMs: number): FixedTz {
  if (offsetMs === 0) return UTC;
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  const name = `UTC${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
  return { kind: 'fixed', name, offsetMs };
}

/** `datetime.timezone.utc`, which `astimezone("UTC")` and an offset of zero both give. */
export const UTC: FixedTz = { kind: 'fixed', name: 'UTC', offsetMs: 0 };

/**
 * Whether Python would treat two aware datetimes as sharing one tzinfo, the case in which it
 * compares and subtracts them by wall clock instead of by instant. `ZoneInfo(name)` returns one
 * cached instance per name, so zones are the same when their names are.
 */
export function sameTz(a: Tz, b: Tz): boolean {
  if (a.kind === 'zone' || b.kind === 'zone') return a.kind === b.kind && a.name === b.name;
  return a.offsetMs === b.offsetMs;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
