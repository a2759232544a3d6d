import type { Logger } from 'pino';
import type { KnownDay, OfflineCalendar } from '../../../sources/offline-calendar/index.js';
import type { TradeDayRow } from './raw-trade-day.js';

/** Lines logged one by one; the rest are counted in one more line. */
export const MAX_DISAGREEMENTS_LOGGED = 20;

export interface Disagreement {
  date: string;
  baoStock: boolean;
  offline: KnownDay;
}

/**
 * BaoStock's days that the offline calendar knows and answers differently. This is how a typo in
 * the closures file, or a late change by the exchange, gets noticed; the rows stored are BaoStock's.
 */
export function findDisagreements(
  rows: readonly TradeDayRow[],
  calendar: OfflineCalendar,
): Disagreement[] {
  const found: Disagreement[] = [];
  for (const row of rows) {
    if (row.source !== 'baostock') continue;
    const offline = calendar.knownDay(row.calendarDate);
    if (offline && offline.isTradingDay !== row.isTradingDay)
      found.push({ date: row.calendarDate, baoStock: row.isTradingDay, offline });
  }
  return found;
}

const says = (trading: boolean) => (trading ? 'a trading day' : 'closed');

function describeSource(day: KnownDay): string {
  return day.source === 'file'
    ? `the exchange closures file (notice: ${day.notice})`
    : 'the package: chinese-days with the exchange closures built into this server';
}

/** One WARN line per disagreement, naming the day and both answers, up to `max`; then a count. */
export function logDisagreements(
  found: readonly Disagreement[],
  logger: Logger,
  max = MAX_DISAGREEMENTS_LOGGED,
): void {
  for (const d of found.slice(0, max)) {
    logger.warn(
      `${d.date}: BaoStock says ${says(d.baoStock)}, the offline calendar says ${says(d.offline.isTradingDay)} ` +
        `(from ${describeSource(d.offline)}); BaoStock's row is kept`,
    );
  }
  if (found.length > max) {
    logger.warn(
      `BaoStock and the offline calendar disagree on ${found.length - max} more day(s) (${found.length} in all, ` +
        `${found[max]!.date} to ${found.at(-1)!.date}); BaoStock's rows are kept`,
    );
  }
}
