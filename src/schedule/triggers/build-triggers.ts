import { z } from 'zod';
import {
  defaultTimeZone,
  parseDateTime,
  parseJitter,
  parseTimeZone,
  type Report,
} from './argument-values.js';
import { compileField, DEFAULT_VALUES, FIELD_NAMES, type CronField } from './cron-fields.js';
import { CronTrigger } from './cron-trigger.js';
import { DateTrigger } from './date-trigger.js';
import { IntervalTrigger } from './interval-trigger.js';
import { PyDateTime } from './py-datetime.js';
import { UTC } from './time-zone.js';
import { TradingDayTrigger } from './trading-day-trigger.js';
import type { Trigger, TriggerDeps, TriggerType } from './trigger.js';

/** The argument names each type accepts (APScheduler's constructor parameters; ours for trading_day). */
export const ARGUMENT_NAMES: Record<TriggerType, readonly string[]> = {
  cron: [...FIELD_NAMES, 'start_date', 'end_date', 'timezone', 'jitter'],
  interval: [
    'weeks',
    'days',
    'hours',
    'minutes',
    'seconds',
    'start_date',
    'end_date',
    'timezone',
    'jitter',
  ],
  date: ['run_date', 'timezone'],
  trading_day: ['hour', 'minute', 'second', 'offset_days', 'timezone'],
};

type Args = Record<string, unknown>;

const describeType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
const isEmpty = (value: unknown): boolean => value === undefined || value === null;
/** Python truthiness of a JSON value, for APScheduler's `x or default`. */
const isFalsy = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || value === 0 || value === false;

const clock = (deps: TriggerDeps): Date => (deps.now ?? (() => new Date()))();

/**
 * `CronTrigger(**arguments)`. Fields less significant than the least significant given one
 * default to their minimum (week and day_of_week to `*`), more significant ones to `*`; with no
 * field at all every field is `*` (every second), as in APScheduler.
 */
export function buildCronTrigger(args: Args, deps: TriggerDeps, report: Report): Trigger | null {
  const tz = parseTimeZone(args.timezone, deps.defaultTimeZone, report);
  const startDate = isEmpty(args.start_date)
    ? null
    : parseDateTime(args.start_date, 'start_date', tz, report);
  const endDate = isEmpty(args.end_date)
    ? null
    : parseDateTime(args.end_date, 'end_date', tz, report);
  const jitter = parseJitter(args.jitter, report);

  const given = FIELD_NAMES.filter((name) => !isEmpty(args[name]));
  const leastSignificant = given.length > 0 ? FIELD_NAMES.indexOf(given[given.length - 1]!) : -1;
  const fields: CronField[] = [];
  FIELD_NAMES.forEach((name, index) => {
    const value = args[name];
    let text: string;
    if (!isEmpty(value)) {
      if (typeof value === 'string') text = value;
      else if (typeof value === 'number') text = String(value);
      else {
        report(
          name,
          `must be a string such as "9", "mon-fri" or "*/5" (or a number), not ${describeType(value)}`,
        );
        return;
      }
    } else {
      text = index > leastSignificant && leastSignificant >= 0 ? DEFAULT_VALUES[name] : '*';
    }
    const compiled = compileField(name, text, isEmpty(value));
    if (compiled.ok) fields.push(compiled.field);
    else for (const problem of compiled.problems) report(name, problem);
  });
  if (fields.length !== FIELD_NAMES.length || startDate === undefined || endDate === undefined)
    return null;
  return new CronTrigger({
    fields,
    tz,
    startDate,
    endDate,
    jitter,
    random: deps.random ?? Math.random,
  });
}

const intervalUnitSchema = z
  .number({ error: 'must be a number' })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((value) => value >= 0, 'must not be negative');

const UNIT_MS = {
  weeks: 604_800_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
} as const;

/** `IntervalTrigger(**arguments)`: a zero interval means one second, as in APScheduler. */
export function buildIntervalTrigger(
  args: Args,
  deps: TriggerDeps,
  report: Report,
): Trigger | null {
  const tz = parseTimeZone(args.timezone, deps.defaultTimeZone, report);
  // APScheduler's scheduler reads `now` in its own zone; an unknown one is reported through `tz` above when it matters.
  const schedulerTz = defaultTimeZone(deps.defaultTimeZone) ?? UTC;
  let totalMs = 0;
  let unitsValid = true;
  for (const [unit, ms] of Object.entries(UNIT_MS)) {
    if (args[unit] === undefined) continue;
    const parsed = intervalUnitSchema.safeParse(args[unit]);
    if (parsed.success) totalMs += parsed.data * ms;
    else {
      unitsValid = false;
      report(
        unit,
        `${parsed.error.issues[0]?.message ?? 'is invalid'}, not ${JSON.stringify(args[unit])}`,
      );
    }
  }
  if (!unitsValid) return null;
  const totalUs = Math.round(totalMs * 1000);
  if (totalUs % 1000 !== 0) {
    report(
      'seconds',
      'the interval has a fraction of a millisecond, which cannot be honoured exactly',
    );
    return null;
  }
  const intervalMs = totalUs === 0 ? 1000 : totalUs / 1000;
  // `start_date or (datetime.now(tz) + interval)`: the default start is one interval after the trigger is built.
  const startDate = isFalsy(args.start_date)
    ? PyDateTime.fromInstant(clock(deps).getTime(), tz).plus(intervalMs)
    : parseDateTime(args.start_date, 'start_date', tz, report);
  const endDate = isEmpty(args.end_date)
    ? null
    : parseDateTime(args.end_date, 'end_date', tz, report);
  const jitter = parseJitter(args.jitter, report);
  if (startDate === undefined || endDate === undefined) return null;
  return new IntervalTrigger({
    intervalMs,
    tz,
    schedulerTz,
    startDate,
    endDate,
    jitter,
    random: deps.random ?? Math.random,
  });
}

/** `DateTrigger(run_date, timezone)`: without a run_date it runs at the moment it is built. */
export function buildDateTrigger(args: Args, deps: TriggerDeps, report: Report): Trigger | null {
  const tz = parseTimeZone(args.timezone, deps.defaultTimeZone, report);
  const runDate = isEmpty(args.run_date)
    ? PyDateTime.fromInstant(clock(deps).getTime(), tz)
    : parseDateTime(args.run_date, 'run_date', tz, report);
  return runDate === undefined ? null : new DateTrigger(runDate, tz);
}

const integerText = (value: unknown): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const timeOfDaySchema = (max: number) =>
  z.preprocess(
    integerText,
    z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, `must be 0-${max}`)
      .max(max, `must be 0-${max}`),
  );
const TRADING_DAY_SCHEMAS = {
  hour: timeOfDaySchema(23),
  minute: timeOfDaySchema(59),
  second: timeOfDaySchema(59),
  offset_days: z.preprocess(
    integerText,
    z
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(-31, 'must be between -31 and 31')
      .max(31, 'must be between -31 and 31'),
  ),
} as const;

/** Ours: `{ hour, minute, second, offset_days, timezone }`, see TradingDayTrigger. */
export function buildTradingDayTrigger(
  args: Args,
  deps: TriggerDeps,
  report: Report,
): Trigger | null {
  const tz = parseTimeZone(args.timezone, deps.defaultTimeZone, report);
  const values = { hour: 0, minute: 0, second: 0, offset_days: 0 };
  let valid = true;
  for (const key of Object.keys(TRADING_DAY_SCHEMAS) as (keyof typeof TRADING_DAY_SCHEMAS)[]) {
    if (isEmpty(args[key])) continue;
    const parsed = TRADING_DAY_SCHEMAS[key].safeParse(args[key]);
    if (parsed.success) values[key] = parsed.data;
    else {
      valid = false;
      report(
        key,
        `${parsed.error.issues[0]?.message ?? 'is invalid'}, not ${JSON.stringify(args[key])}`,
      );
    }
  }
  if (!valid) return null;
  return new TradingDayTrigger({
    tz,
    hour: values.hour,
    minute: values.minute,
    second: values.second,
    offsetDays: values.offset_days,
    deps,
  });
}
