import { z } from 'zod';
import { ValidationError, type Problem } from '../../../errors.js';
import { defineComponent } from '../../component.js';
import { findDisagreements, logDisagreements } from './calendar-disagreements.js';
import type { TradeDayRow } from './raw-trade-day.js';

const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
const MAX_REPORTED = 10;

export const processorArguments = z
  .strictObject({
    /** Keep only days from this one on. */
    from: isoDate.optional(),
    /** Keep only days up to this one. */
    to: isoDate.optional(),
  })
  .refine((a) => a.from === undefined || a.to === undefined || a.from <= a.to, {
    path: ['to'],
    message: 'must not be before from',
  });

const FLAGS = new Map<unknown, boolean>([
  ['1', true],
  ['0', false],
  [1, true],
  [0, false],
  [true, true],
  [false, false],
]);

/**
 * Turns a source's rows into typed ones: real dates, 1/0 flags as booleans, exact duplicates
 * dropped, conflicting duplicates refused, sorted by date, optionally trimmed to [from, to].
 * A malformed row fails the step with an error naming the row: storing half a calendar, or a
 * guessed one, would be worse than storing nothing.
 */
export function cleanTradeDays(
  input: unknown,
  range: { from?: string; to?: string } = {},
): { rows: TradeDayRow[]; duplicates: number } {
  if (!Array.isArray(input))
    throw new ValidationError(
      `expected a list of trade-day rows, got ${input === null ? 'null' : typeof input}`,
    );
  const problems: Problem[] = [];
  const byDate = new Map<string, { row: TradeDayRow; index: number }>();
  let duplicates = 0;
  input.forEach((raw: unknown, index) => {
    if (problems.length >= MAX_REPORTED) return;
    const where = `row ${index + 1}`;
    if (raw === null || typeof raw !== 'object') {
      problems.push({
        path: where,
        message: `must be an object with calendarDate and isTradingDay, not ${raw === null ? 'null' : typeof raw}`,
      });
      return;
    }
    const { calendarDate, isTradingDay, source } = raw as Record<string, unknown>;
    const label = `${where} (calendar_date ${JSON.stringify(calendarDate)})`;
    if (typeof calendarDate !== 'string' || !isoDate.safeParse(calendarDate).success) {
      problems.push({
        path: label,
        message: 'calendar_date is not a real date written YYYY-MM-DD',
      });
      return;
    }
    const flag = FLAGS.get(isTradingDay);
    if (flag === undefined) {
      problems.push({
        path: label,
        message: `is_trading_day must be 1 or 0, not ${JSON.stringify(isTradingDay)}`,
      });
      return;
    }
    const row: TradeDayRow = {
      calendarDate,
      isTradingDay: flag,
      source: typeof source === 'string' && source !== '' ? source : 'unknown',
    };
    const seen = byDate.get(calendarDate);
    if (!seen) {
      byDate.set(calendarDate, { row, index });
    } else if (seen.row.isTradingDay === flag) {
      duplicates++;
    } else {
      const says = (v: boolean) => (v ? 'a trading day' : 'closed');
      problems.push({
        path: label,
        message: `conflicts with row ${seen.index + 1}: one says ${says(seen.row.isTradingDay)}, the other ${says(flag)}`,
      });
    }
  });
  if (problems.length > 0) {
    const shown = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new ValidationError(
      `${problems.length >= MAX_REPORTED ? `at least ${MAX_REPORTED}` : problems.length} malformed trade-day row(s): ${shown}`,
      problems,
    );
  }
  const rows = [...byDate.values()]
    .map((v) => v.row)
    .filter(
      (r) =>
        (range.from === undefined || r.calendarDate >= range.from) &&
        (range.to === undefined || r.calendarDate <= range.to),
    )
    .sort((a, b) =>
      a.calendarDate < b.calendarDate ? -1 : a.calendarDate > b.calendarDate ? 1 : 0,
    );
  return { rows, duplicates };
}

export const baoStockTradeDayProcessor = defineComponent({
  name: 'BaoStockTradeDayProcessor',
  kind: 'PROCESSOR',
  description:
    'Validates and normalises trade-day rows: real dates, 1/0 flags, exact duplicates dropped, conflicting ones refused, ' +
    'sorted by date; optional from/to trim the range. A malformed row fails the step with an error naming it. ' +
    "A BaoStock day the offline calendar answers differently is logged as a warning (BaoStock's row is kept).",
  argumentsSchema: processorArguments,
  run(input: unknown, { args, logger, services }): TradeDayRow[] {
    const { rows, duplicates } = cleanTradeDays(input, args);
    logDisagreements(findDisagreements(rows, services.calendar), logger);
    const trading = rows.filter((r) => r.isTradingDay).length;
    const span = rows.length > 0 ? ` ${rows[0]!.calendarDate}..${rows.at(-1)!.calendarDate}` : '';
    logger.info(
      `${rows.length} days${span}, ${trading} trading${duplicates > 0 ? `, ${duplicates} exact duplicate(s) dropped` : ''}`,
    );
    return rows;
  },
});
