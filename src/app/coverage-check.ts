import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from 'toad-scheduler';
import type { OfflineCalendar } from '../sources/offline-calendar/index.js';

/**
 * The exchange publishes next year's closures in December; from 1 December the offline calendar
 * may not cover next year yet. Checks at start-up and every few hours, and warns once a day (in
 * the market's time zone) while that is so, so a server that runs for weeks still says it.
 * `calendar` is the live one: once a reload of the closures file covers next year, it stops.
 */
export function startCoverageCheck(
  calendar: OfflineCalendar,
  timeZone: string,
  logger: Logger,
  intervalMs = 6 * 3_600_000,
  now: () => Date = () => new Date(),
): { stop(): void } {
  let warnedOn: string | null = null;
  const check = () => {
    const today = DateTime.fromJSDate(now()).setZone(timeZone).toISODate()!;
    const warning = calendar.coverageWarning(today);
    if (warning && warnedOn !== today) {
      warnedOn = today;
      logger.warn(warning);
    }
    return Promise.resolve();
  };
  const scheduler = new ToadScheduler();
  scheduler.addSimpleIntervalJob(
    new SimpleIntervalJob(
      { milliseconds: intervalMs, runImmediately: true },
      new AsyncTask('calendar-coverage', check),
      { id: 'calendar-coverage' },
    ),
  );
  return { stop: () => scheduler.stop() };
}
