import { z } from 'zod';
import { FIRST_COVERED_YEAR, isWeekday, weekdayName } from './calendar-dates.js';

const MS_PER_DAY = 86_400_000;

/** One day listed in the closures file, with what the operator noted about it. */
export interface ListedDay {
  readonly date: string;
  readonly note: string | null;
}

/** One year of the closures file. */
export interface ClosuresYear {
  readonly year: number;
  /**
   * The closures listed are every weekday closure of the year. A complete year the package does not
   * cover extends the calendar's coverage; an incomplete one extends nothing.
   */
  readonly complete: boolean;
  /** The exchange notice the entries come from, as the operator wrote it. */
  readonly notice: string;
  /** Weekdays on which the exchange is closed (added to the package's holidays). */
  readonly closures: readonly ListedDay[];
  /** Weekdays the package closes on which the exchange trades (the file wins). */
  readonly reopened: readonly ListedDay[];
}

/** The closures file, validated: its years in ascending order. */
export interface ExchangeClosures {
  readonly years: readonly ClosuresYear[];
}

/**
 * The last year a file may name. Far beyond any notice the exchange has published; it bounds the
 * work a reload does (every covered year is compared day by day) whatever the file says.
 */
const LAST_FILE_YEAR = 2100;

/** Longest `notice` or `note`: a notice's title and number, not the notice itself. */
const MAX_TEXT = 2000;

/**
 * A listed day. The year it is listed under is known here, so a wrong year or a weekend is reported
 * for that entry even when another entry of the file is malformed.
 */
function listedDaySchema(year: string, list: 'closures' | 'reopened') {
  return z
    .strictObject({
      date: z.iso.date({
        error: (issue) => `${JSON.stringify(issue.input)} is not a real date written YYYY-MM-DD`,
      }),
      note: z.string().max(MAX_TEXT).optional(),
    })
    .superRefine((day, ctx) => {
      const dayNumber = Date.parse(day.date) / MS_PER_DAY;
      if (day.date.slice(0, 4) !== year) {
        ctx.addIssue({
          code: 'custom',
          path: ['date'],
          message: `${day.date} is not in ${year}, the year it is listed under`,
        });
      } else if (!isWeekday(dayNumber)) {
        ctx.addIssue({
          code: 'custom',
          path: ['date'],
          message:
            list === 'closures'
              ? `${day.date} is a ${weekdayName(dayNumber)}: only weekdays are listed (the exchange never trades on a weekend)`
              : `${day.date} is a ${weekdayName(dayNumber)}: the exchange never trades on a weekend, so it cannot be re-opened`,
        });
      }
    });
}

function yearSchema(year: string) {
  return z
    .strictObject({
      complete: z.boolean({
        message:
          'must be true (every weekday closure of the year is listed) or false (not yet all of them)',
      }),
      notice: z
        .string({ message: 'must name the exchange notice the entries come from' })
        .trim()
        .min(1, 'must name the exchange notice the entries come from')
        .max(MAX_TEXT),
      closures: z.array(listedDaySchema(year, 'closures')).max(366).default([]),
      reopened: z.array(listedDaySchema(year, 'reopened')).max(366).default([]),
    })
    .superRefine((entry, ctx) => {
      if (entry.complete && entry.closures.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['closures'],
          message:
            'the year is declared complete but lists no closures; the exchange closes every year for the ' +
            'Spring Festival and National Day (set "complete": false until the notice is out)',
        });
      }
      const seen = new Map<string, string>();
      for (const list of ['closures', 'reopened'] as const) {
        entry[list].forEach((day, index) => {
          const earlier = seen.get(day.date);
          if (earlier === undefined) {
            seen.set(day.date, `years.${year}.${list}[${index}]`);
            return;
          }
          ctx.addIssue({
            code: 'custom',
            path: [list, index, 'date'],
            message: `${day.date} is listed twice: also at ${earlier}`,
          });
        });
      }
    });
}

/**
 * `exchange-closures.json`: `{ "years": { "2027": { "complete", "notice", "closures", "reopened" } } }`.
 * See the README's "Next year's calendar" section for what each field means. Each year is checked
 * on its own, so one bad year does not hide the problems of another.
 */
export const exchangeClosuresSchema = z
  .strictObject({ years: z.record(z.string(), z.unknown()) })
  .transform((file, ctx): ExchangeClosures => {
    const years: ClosuresYear[] = [];
    for (const [key, value] of Object.entries(file.years)) {
      if (!/^\d{4}$/.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['years', key],
          message: 'a year is written as four digits, e.g. "2027"',
        });
        continue;
      }
      if (Number(key) > LAST_FILE_YEAR) {
        ctx.addIssue({
          code: 'custom',
          path: ['years', key],
          message: `is too far ahead: the exchange publishes its closures one year at a time (years up to ${LAST_FILE_YEAR} are read)`,
        });
        continue;
      }
      if (Number(key) < FIRST_COVERED_YEAR) {
        ctx.addIssue({
          code: 'custom',
          path: ['years', key],
          message: `the offline calendar starts with ${FIRST_COVERED_YEAR}; earlier years are BaoStock's`,
        });
        continue;
      }
      const parsed = yearSchema(key).safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({ ...issue, path: ['years', key, ...issue.path] });
        continue;
      }
      years.push({
        year: Number(key),
        complete: parsed.data.complete,
        notice: parsed.data.notice,
        closures: parsed.data.closures.map(listedDay),
        reopened: parsed.data.reopened.map(listedDay),
      });
    }
    return { years: years.sort((a, b) => a.year - b.year) };
  });

function listedDay(day: { date: string; note?: string | undefined }): ListedDay {
  return { date: day.date, note: day.note ?? null };
}
