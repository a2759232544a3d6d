import { DateTime } from 'luxon';
import type { CalendarRange } from '../../../sources/offline-calendar/index.js';
import { FIRST_TRADE_DAY } from './raw-trade-day.js';

export interface RangeInputs {
  /** The latest day stored in the targets the job writes to (the earliest of them), or null if any is empty. */
  latestStored: string | null;
  /** Today in the market's time zone, `YYYY-MM-DD`. */
  today: string;
  fullRefresh: boolean;
  /** Days re-fetched before the latest stored one, to pick up late corrections. */
  safetyDays: number;
}

/**
 * The range a run fetches when none is given: from the latest stored day minus a safety window to
 * the end of the current year; everything (from the exchange's first day) when nothing is stored
 * or a full refresh is asked for.
 */
export function defaultFetchRange(inputs: RangeInputs): CalendarRange {
  const endOfYear = `${inputs.today.slice(0, 4)}-12-31`;
  if (inputs.fullRefresh || inputs.latestStored === null)
    return { from: FIRST_TRADE_DAY, to: endOfYear };
  const from = DateTime.fromISO(inputs.latestStored, { zone: 'UTC' })
    .minus({ days: inputs.safetyDays })
    .toISODate()!;
  return {
    from: from < FIRST_TRADE_DAY ? FIRST_TRADE_DAY : from,
    to: endOfYear > inputs.latestStored ? endOfYear : inputs.latestStored,
  };
}

/** The part of `range` the offline calendar covers, or null when they do not overlap. */
export function clipToCoverage(range: CalendarRange, covered: CalendarRange): CalendarRange | null {
  const from = range.from > covered.from ? range.from : covered.from;
  const to = range.to < covered.to ? range.to : covered.to;
  return from <= to ? { from, to } : null;
}
