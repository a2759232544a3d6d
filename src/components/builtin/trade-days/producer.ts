import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errorMessage } from '../../../errors.js';
import {
  BAOSTOCK_DEFAULTS,
  BaoStockNetworkError,
  fetchTradeDates,
} from '../../../sources/baostock/index.js';
import type { CalendarRange, OfflineCalendar } from '../../../sources/offline-calendar/index.js';
import { TradeDayQueries } from '../../../storage/trade-day-queries.js';
import type { StorageTargets } from '../../../storage/targets.js';
import { defineComponent } from '../../component.js';
import { clipToCoverage, defaultFetchRange } from './fetch-range.js';
import type { RawTradeDay } from './raw-trade-day.js';

const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });

export const producerArguments = z
  .strictObject({
    /** `baostock` (the network service, falling back to the offline calendar) or `offline`. */
    source: z.enum(['baostock', 'offline']).default('baostock'),
    /** When BaoStock cannot be reached, use the offline calendar (with a WARN line) instead of failing. */
    fallback: z.boolean().default(true),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Fetch everything instead of the days since the latest stored one. */
    fullRefresh: z.boolean().default(false),
    safetyDays: z.number().int().min(0).max(3650).default(30),
    /** Targets whose latest stored day decides the default range (all configured ones by default). */
    targets: z.array(z.string().min(1)).min(1).optional(),
    /**
     * The BaoStock endpoint to ask, by its name in conf/sources.json (the default one when
     * absent). Hosts, accounts and passwords are the server's configuration, never a job's.
     */
    endpoint: z.string().min(1).optional(),
    totalTimeoutMs: z
      .number()
      .int()
      .min(1)
      .max(3_600_000)
      .default(BAOSTOCK_DEFAULTS.totalTimeoutMs),
  })
  .refine((a) => a.from === undefined || a.to === undefined || a.from <= a.to, {
    path: ['to'],
    message: 'must not be before from',
  });

export type ProducerArguments = z.output<typeof producerArguments>;

/** Fetches the China A-share trading calendar: BaoStock's `query_trade_dates`, or the offline calendar. */
export const baoStockTradeDayProducer = defineComponent({
  name: 'BaoStockTradeDayProducer',
  kind: 'PRODUCER',
  description:
    'Fetches the China A-share trading calendar (one row per calendar day) from BaoStock over its TCP protocol, ' +
    'or from the offline calendar (no network; also the fallback when BaoStock cannot be reached, logged as a warning). ' +
    'By default fetches from 30 days before the latest stored day (for BaoStock: the latest stored from BaoStock) to the end of the current year.',
  argumentsSchema: producerArguments,
  checkArguments: (args, environment) =>
    args.endpoint === undefined || environment.baostockEndpoints.includes(args.endpoint)
      ? []
      : [
          {
            path: 'endpoint',
            message: `no BaoStock endpoint is named "${args.endpoint}" in sources.json (configured: ${environment.baostockEndpoints.join(', ')})`,
          },
        ],
  async run(_input: undefined, { args, logger, signal, services }): Promise<RawTradeDay[]> {
    const today = DateTime.now().setZone(services.timeZone).toISODate()!;
    const coverage = services.calendar.coverageWarning(today);
    if (coverage) logger.warn(coverage);
    const explicit = args.from !== undefined && args.to !== undefined;
    const range = await fetchRange(args, today, services.targets, logger);

    if (args.source === 'offline') return offlineRows(services.calendar, range, explicit, logger);
    const endpoint = services.baostock.get(args.endpoint);
    try {
      logger.info(
        `fetching trade days ${range.from}..${range.to} from BaoStock endpoint "${endpoint.name}" (${endpoint.host}:${endpoint.port})`,
      );
      const result = await fetchTradeDates({
        host: endpoint.host,
        port: endpoint.port,
        version: endpoint.version,
        user: endpoint.user,
        // The one place the password leaves the configuration: to its own endpoint.
        password: endpoint.password.reveal(),
        connectTimeoutMs: endpoint.connectTimeoutMs,
        responseTimeoutMs: endpoint.responseTimeoutMs,
        totalTimeoutMs: args.totalTimeoutMs,
        rowsPerPage: endpoint.rowsPerPage,
        from: range.from,
        to: range.to,
        signal,
        logger,
      });
      logger.info(`BaoStock sent ${result.rows.length} days in ${result.pages} page(s)`);
      return result.rows.map((row) => ({
        calendarDate: row.calendarDate,
        isTradingDay: row.isTradingDay,
        source: 'baostock',
      }));
    } catch (error) {
      if (signal.aborted || !(error instanceof BaoStockNetworkError) || !args.fallback) throw error;
      logger.warn(
        `BaoStock cannot be reached (${errorMessage(error)}); falling back to the offline calendar`,
      );
      return offlineRows(services.calendar, range, explicit, logger);
    }
  },
});

async function fetchRange(
  args: ProducerArguments,
  today: string,
  targets: StorageTargets,
  logger: Logger,
): Promise<CalendarRange> {
  if (args.from !== undefined && args.to !== undefined) return { from: args.from, to: args.to };
  // A BaoStock run starts from BaoStock's own latest day, so it replaces the days the offline
  // calendar filled in (the start-up fill, a closures-file refill) as soon as it can reach BaoStock.
  const latestStored =
    args.fullRefresh || args.from !== undefined
      ? null
      : await latestStoredDay(
          targets,
          args.targets,
          logger,
          args.source === 'baostock' ? 'baostock' : undefined,
        );
  const range = defaultFetchRange({
    latestStored,
    today,
    fullRefresh: args.fullRefresh,
    safetyDays: args.safetyDays,
  });
  return { from: args.from ?? range.from, to: args.to ?? range.to };
}

/** The earliest "latest stored day" (of rows from `source`, if given) across the targets (null when one has none). */
async function latestStoredDay(
  targets: StorageTargets,
  names: readonly string[] | undefined,
  logger: Logger,
  source?: string,
): Promise<string | null> {
  const chosen = names ? names.map((n) => targets.get(n)) : targets.list();
  const latest = await Promise.all(
    chosen.map(async (target) => {
      try {
        return { name: target.name, day: await new TradeDayQueries(target).latestDate(source) };
      } catch (error) {
        logger.warn(
          `cannot read the latest stored day on target "${target.name}" (${errorMessage(error)}); it does not shape the range`,
        );
        return undefined;
      }
    }),
  );
  const known = latest.filter((l) => l !== undefined);
  if (known.some((l) => l.day === null)) return null;
  const days = known.map((l) => l.day!).sort();
  return days[0] ?? null;
}

/** The offline calendar's days; a default range is trimmed to its coverage (and says so), an explicit one must fit. */
function offlineRows(
  calendar: OfflineCalendar,
  range: CalendarRange,
  explicit: boolean,
  logger: Logger,
): RawTradeDay[] {
  let wanted = range;
  if (!explicit) {
    const clipped = clipToCoverage(range, calendar.coveredRange);
    if (!clipped) {
      throw new Error(
        `the offline calendar covers ${calendar.coveredRange.from} to ${calendar.coveredRange.to}, none of ${range.from}..${range.to}; BaoStock serves the rest`,
      );
    }
    if (clipped.from !== range.from || clipped.to !== range.to) {
      logger.warn(
        `the offline calendar covers ${calendar.coveredRange.from} to ${calendar.coveredRange.to}: fetching ${clipped.from}..${clipped.to} of ${range.from}..${range.to}; BaoStock serves the rest`,
      );
    }
    wanted = clipped;
  }
  const days = calendar.days(wanted.from, wanted.to);
  logger.info(`offline calendar: ${days.length} days ${wanted.from}..${wanted.to}`);
  return days.map((d) => ({
    calendarDate: d.calendarDate,
    isTradingDay: d.isTradingDay,
    source: 'offline',
  }));
}
