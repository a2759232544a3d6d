import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { Executor } from '../jobs/executor.js';
import type { Job } from '../jobs/job.js';
import type { CalendarRange, OfflineCalendar } from '../sources/offline-calendar/index.js';
import { TradeDayQueries } from '../storage/trade-day-queries.js';
import type { StorageTargets } from '../storage/targets.js';

export interface CalendarRefillDeps {
  targets: StorageTargets;
  executor: Executor;
  logger: Logger;
  /** The calendar whose answers are to be stored (the jobs themselves read the live one when they run). */
  calendar: OfflineCalendar;
}

/**
 * Stores the offline calendar's days of `years` where the stored calendar lacks them or answers
 * differently, as STARTUP jobs of the ordinary trade-day pipeline (one per range and set of
 * targets), so the refill shows in `jobs` with its log. Left alone, each for its reason:
 * - an empty target: filling it whole is the start-up fill's job;
 * - days up to the latest day BaoStock stored on a target: BaoStock's rows win, and a BaoStock
 *   run starts after that day, so it will replace what is written here;
 * - a target whose stored days already agree: nothing to do, so no job.
 */
export async function refillCalendarYears(
  deps: CalendarRefillDeps,
  years: readonly number[],
  reason: string,
): Promise<Job[]> {
  const ranges = yearRanges(years, deps.calendar.coveredRange);
  if (ranges.length === 0) return [];
  const wanted = new Map<string, { range: CalendarRange; targets: string[] }>();
  for (const target of deps.targets.list()) {
    let needs: CalendarRange[];
    try {
      needs = await rangesToWrite(new TradeDayQueries(target), ranges, deps.calendar);
    } catch (error) {
      deps.logger.warn(
        { target: target.name, error: errorMessage(error) },
        'cannot read the stored trading calendar; not refilling it from the offline calendar',
      );
      continue;
    }
    for (const range of needs) {
      const key = `${range.from}..${range.to}`;
      const entry = wanted.get(key) ?? { range, targets: [] };
      entry.targets.push(target.name);
      wanted.set(key, entry);
    }
  }
  const jobs: Job[] = [];
  for (const [key, { range, targets }] of wanted) {
    const result = await deps.executor.submit(
      {
        steps: [
          {
            name: 'producer_0',
            componentClassName: 'BaoStockTradeDayProducer',
            preComponentName: '',
            componentArguments: { source: 'offline', from: range.from, to: range.to },
          },
          {
            name: 'processor_0',
            componentClassName: 'BaoStockTradeDayProcessor',
            preComponentName: 'producer_0',
            componentArguments: {},
          },
          {
            name: 'storager_0',
            componentClassName: 'BaoStockTradeDayStorager',
            preComponentName: 'processor_0',
            componentArguments: { targets },
          },
        ],
      },
      { origin: { type: 'STARTUP', name: `refill ${key} (${reason})` } },
    );
    if (!result.ok)
      throw new Error(`the calendar refill job is invalid: ${JSON.stringify(result.problems)}`);
    deps.logger.info(
      { jobId: result.job.id, from: range.from, to: range.to, targets },
      'refilling the stored trading calendar from the offline calendar',
    );
    jobs.push(result.job);
  }
  return jobs;
}

/** Runs of consecutive years, each as one date range, clipped to what the calendar covers. */
function yearRanges(years: readonly number[], covered: CalendarRange): CalendarRange[] {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const ranges: CalendarRange[] = [];
  for (const year of sorted) {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    if (to < covered.from || from > covered.to) continue;
    const last = ranges.at(-1);
    if (last && Number(last.to.slice(0, 4)) === year - 1) last.to = to;
    else ranges.push({ from, to });
  }
  return ranges;
}

async function rangesToWrite(
  queries: TradeDayQueries,
  ranges: readonly CalendarRange[],
  calendar: OfflineCalendar,
): Promise<CalendarRange[]> {
  if ((await queries.count()) === 0) return [];
  const latestBaoStock = await queries.latestDate('baostock');
  const firstFree =
    latestBaoStock === null
      ? null
      : DateTime.fromISO(latestBaoStock, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
  const needed: CalendarRange[] = [];
  for (const range of ranges) {
    const from = firstFree !== null && firstFree > range.from ? firstFree : range.from;
    if (from > range.to) continue;
    const stored = new Map(
      (await queries.between(from, range.to)).map((d) => [d.calendarDate, d.isTradingDay]),
    );
    const differs = calendar
      .days(from, range.to)
      .some((day) => stored.get(day.calendarDate) !== day.isTradingDay);
    if (differs) needed.push({ from, to: range.to });
  }
  return needed;
}
