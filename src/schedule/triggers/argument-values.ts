import { IANAZone } from 'luxon';
import { z } from 'zod';
import { PyDateTime, wallOf } from './py-datetime.js';
import { fixedTz, UTC, zoneTz, type Tz } from './time-zone.js';

/** Reports one problem with the argument `field` (the caller prefixes the path). */
export type Report = (field: string, message: string) => void;

/**
 * APScheduler 3.11's `convert_to_datetime` pattern: `YYYY-M-D`, optionally with ` H:M:S` or
 * `TH:M:S`, a fraction and `Z`/`±HH:MM`. It is anchored at both ends.
 */
const DATE_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?)?$/;

const describeType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/**
 * The `timezone` argument as `astimezone()` reads it: empty means the default (APScheduler's
 * scheduler passes its own zone), `"UTC"` is the fixed UTC zone, anything else must be a zone
 * name `ZoneInfo` knows. Names are case-sensitive there (they are file names), so we reject a
 * name that only Intl's case-insensitive lookup would accept.
 */
export function parseTimeZone(value: unknown, defaultZone: string, report: Report): Tz {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) {
    const tz = defaultTimeZone(defaultZone);
    if (tz === null)
      report(
        'timezone',
        `is not given and the default time zone ${JSON.stringify(defaultZone)} is not a known IANA time zone`,
      );
    return tz ?? UTC;
  }
  if (typeof value !== 'string') {
    report(
      'timezone',
      `must be a time zone name such as "Asia/Shanghai", not ${describeType(value)}`,
    );
    return UTC;
  }
  const tz = timeZoneByName(value);
  if (tz === null) {
    const canonical = canonicalZoneName(value);
    report(
      'timezone',
      canonical !== null
        ? `${JSON.stringify(value)} is not a time zone name; names are case-sensitive (did you mean ${JSON.stringify(canonical)}?)`
        : `${JSON.stringify(value)} is not a known IANA time zone (e.g. "Asia/Shanghai", "America/New_York", "UTC")`,
    );
    return UTC;
  }
  return tz;
}

/** The server's zone (validated by its config, so names luxon accepts are taken as they are); null if unknown. */
export function defaultTimeZone(name: string): Tz | null {
  if (name === 'UTC') return UTC;
  return IANAZone.isValidZone(name) ? zoneTz(name) : null;
}

function timeZoneByName(name: string): Tz | null {
  if (name === 'UTC') return UTC;
  const canonical = canonicalZoneName(name);
  if (canonical === null) return null;
  if (canonical !== name && canonical.toLowerCase() === name.toLowerCase()) return null;
  return zoneTz(name);
}

function canonicalZoneName(name: string): string | null {
  if (!IANAZone.isValidZone(name)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

/**
 * A `start_date`/`end_date`/`run_date` string, converted as `convert_to_datetime` does: with an
 * offset it keeps that fixed offset; without one it is localized in the trigger's zone (a wall
 * time skipped by DST moves forward by the gap, a repeated one means its first occurrence).
 * Returns undefined after reporting a problem.
 */
export function parseDateTime(
  value: unknown,
  field: string,
  tz: Tz,
  report: Report,
): PyDateTime | undefined {
  if (typeof value !== 'string') {
    report(
      field,
      `must be a date string such as "2024-01-31" or "2024-01-31 09:30:00", not ${describeType(value)}`,
    );
    return undefined;
  }
  const match = DATE_PATTERN.exec(value);
  if (match === null) {
    report(
      field,
      `${JSON.stringify(value)} is not a date APScheduler accepts: use YYYY-MM-DD, "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", optionally ending in Z or ±HH:MM`,
    );
    return undefined;
  }
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  if (fraction !== undefined && Number(fraction) !== 0) {
    // APScheduler reads the digits as a count of microseconds (".5" is 5 µs, not half a second).
    report(
      field,
      `${JSON.stringify(value)} has a fraction of a second, which is not supported; give whole seconds`,
    );
    return undefined;
  }
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
  };
  const problem = invalidDateFields(fields);
  if (problem !== null) {
    report(field, `${JSON.stringify(value)} is not a real date and time: ${problem}`);
    return undefined;
  }
  if (offset === undefined) return PyDateTime.localize(fields, tz);
  if (offset === 'Z') return PyDateTime.of(fields, UTC);
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMs =
    sign * (Number(offset.slice(1, 3)) * 3_600_000 + Number(offset.slice(4, 6)) * 60_000);
  if (Math.abs(offsetMs) >= 86_400_000) {
    report(field, `${JSON.stringify(value)} has an offset of 24 hours or more`);
    return undefined;
  }
  return PyDateTime.of(fields, fixedTz(offsetMs));
}

function invalidDateFields(fields: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}): string | null {
  if (fields.year < 1) return 'year 0 does not exist';
  if (fields.month < 1 || fields.month > 12) return `month ${fields.month} is not 1-12`;
  const wall = new Date(wallOf({ year: fields.year, month: fields.month, day: fields.day }));
  if (wall.getUTCDate() !== fields.day || fields.day < 1)
    return `day ${fields.day} is not in that month`;
  if (fields.hour > 23) return `hour ${fields.hour} is not 0-23`;
  if (fields.minute > 59) return `minute ${fields.minute} is not 0-59`;
  if (fields.second > 59) return `second ${fields.second} is not 0-59`;
  return null;
}

const jitterSchema = z
  .number({ error: 'must be a number of seconds' })
  .refine(Number.isFinite, 'must be a finite number of seconds');

/**
 * `jitter`: at most this many seconds are added to each fire time (`random.uniform(0, jitter)`,
 * so a negative jitter fires early). Empty or 0 means none.
 */
export function parseJitter(value: unknown, report: Report): number | null {
  if (value === undefined || value === null || value === 0) return null;
  const parsed = jitterSchema.safeParse(value);
  if (!parsed.success) {
    report(
      'jitter',
      `${parsed.error.issues[0]?.message ?? 'is invalid'}, not ${describeType(value)}`,
    );
    return null;
  }
  return parsed.data;
}
