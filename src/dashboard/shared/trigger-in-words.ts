/**
 * A schedule's trigger as a sentence ("at 18:00 on trading days, Asia/Shanghai"), for the
 * dashboard and the CLI. Pure and dependency-free, so both the browser bundle and Node use it.
 * It reads the trigger as its file writes it (`ScheduleTrigger.definition`); what it cannot put
 * into plain words it lists field by field, never guessing.
 */

type Args = Record<string, unknown>;

const DAY_NAMES: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
// APScheduler counts 0 = Monday.
const DAY_BY_NUMBER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function triggerInWords(definition: unknown, timeZone: string): string {
  if (!isRecord(definition) || typeof definition.type !== 'string') return 'an unreadable trigger';
  const args = isRecord(definition.arguments) ? definition.arguments : {};
  const zone = typeof args.timezone === 'string' && args.timezone !== '' ? args.timezone : timeZone;
  const words = (() => {
    switch (definition.type) {
      case 'trading_day':
        return tradingDayWords(args);
      case 'cron':
        return cronWords(args);
      case 'interval':
        return intervalWords(args);
      case 'date':
        return typeof args.run_date === 'string' ? `once, at ${args.run_date}` : 'once';
      default:
        return `a ${definition.type} trigger`;
    }
  })();
  return `${words}, ${zone}`;
}

function tradingDayWords(args: Args): string {
  const at = clock(args.hour ?? 0, args.minute ?? 0, args.second ?? 0) ?? 'at an unreadable time';
  const offset = typeof args.offset_days === 'number' ? args.offset_days : 0;
  if (offset === 0) return `${at} on trading days`;
  const n = Math.abs(offset);
  const days = n === 1 ? 'the day' : `${n} days`;
  return `${at} on ${days} ${offset < 0 ? 'before' : 'after'} each trading day`;
}

function cronWords(args: Args): string {
  const field = (name: string): string | null => {
    const value = args[name];
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number') return String(value);
    return value === undefined || value === null ? null : JSON.stringify(value);
  };
  const [second, minute, hour] = [field('second'), field('minute'), field('hour')];
  const [day, month, dayOfWeek, week, year] = [
    field('day'),
    field('month'),
    field('day_of_week'),
    field('week'),
    field('year'),
  ];
  const isAny = (v: string | null) => v === null || v === '*';
  const time = clock(hour ?? 0, minute ?? 0, second ?? 0);
  let when: string | null = null;
  if (time && hour !== null && !isAny(hour)) when = time;
  else if (isAny(hour) && minute !== null && /^\d+$/.test(minute) && (second ?? '0') === '0')
    when = `every hour at minute ${Number(minute)}`;
  else if (isAny(hour) && minute !== null && /^\*\/\d+$/.test(minute) && (second ?? '0') === '0')
    when = `every ${plural(Number(minute.slice(2)), 'minute')}`;
  const days = dayWords(dayOfWeek);
  const monthDay = day !== null && /^\d+$/.test(day) ? `on day ${day} of` : isAny(day) ? '' : null;
  const months = monthWords(month);
  if (
    when === null ||
    days === null ||
    monthDay === null ||
    months === null ||
    !isAny(week) ||
    !isAny(year)
  )
    return `cron ${['year', 'month', 'week', 'day', 'day_of_week', 'hour', 'minute', 'second']
      .filter((name) => field(name) !== null)
      .map((name) => `${name}=${field(name)}`)
      .join(' ')}`;
  const parts = [when];
  if (monthDay !== '') parts.push(`${monthDay} ${months === '' ? 'every month' : months}`);
  else if (months !== '') parts.push(`in ${months}`);
  if (days !== '') parts.push(days);
  else if (monthDay === '' && !when.startsWith('every')) parts.push('every day');
  return parts.join(' ');
}

/** '' for every day; null when the field is more than a list of days and ranges. */
function dayWords(value: string | null): string | null {
  if (value === null || value === '*') return '';
  const items = value.split(',').map((item) => item.trim().toLowerCase());
  const words: string[] = [];
  for (const item of items) {
    const range = /^(\w+)-(\w+)$/.exec(item);
    if (range) {
      const [from, to] = [dayName(range[1]!), dayName(range[2]!)];
      if (!from || !to) return null;
      words.push(`${from} to ${to}`);
      continue;
    }
    const name = dayName(item);
    if (!name) return null;
    words.push(`${name}s`);
  }
  return `on ${words.join(' and ')}`;
}

function dayName(item: string): string | null {
  const key = /^\d$/.test(item) ? DAY_BY_NUMBER[Number(item)] : item.slice(0, 3);
  return key !== undefined ? (DAY_NAMES[key] ?? null) : null;
}

/** '' for every month; null when the field is not a plain list of months. */
function monthWords(value: string | null): string | null {
  if (value === null || value === '*') return '';
  const names = value.split(',').map((item) => {
    const n = Number(item.trim());
    return Number.isInteger(n) && n >= 1 && n <= 12 ? MONTHS[n - 1]! : null;
  });
  return names.every((n) => n !== null) ? names.join(', ') : null;
}

function intervalWords(args: Args): string {
  const units: [string, string][] = [
    ['weeks', 'week'],
    ['days', 'day'],
    ['hours', 'hour'],
    ['minutes', 'minute'],
    ['seconds', 'second'],
  ];
  const parts = units
    .filter(([key]) => typeof args[key] === 'number' && args[key] !== 0)
    .map(([key, unit]) => plural(args[key] as number, unit));
  const every = parts.length > 0 ? `every ${parts.join(' ')}` : 'every second';
  return typeof args.start_date === 'string' ? `${every} from ${args.start_date}` : every;
}

/** "at 09:00" or "at 09:00:30"; null when a field is not a plain number. */
function clock(hour: unknown, minute: unknown, second: unknown): string | null {
  const numbers = [hour, minute, second].map((v) =>
    typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v.trim())) ? Number(v) : NaN,
  );
  if (numbers.some((n) => !Number.isInteger(n))) return null;
  const [h, m, s] = numbers as [number, number, number];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `at ${pad(h)}:${pad(m)}${s !== 0 ? `:${pad(s)}` : ''}`;
}

function plural(n: number, unit: string): string {
  return n === 1 ? `1 ${unit}` : `${n} ${unit}s`;
}

function isRecord(value: unknown): value is Args {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
