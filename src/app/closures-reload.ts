import type { Logger } from 'pino';
import { watchDebounced } from '../config/debounced-watch.js';
import { readExchangeClosuresFile } from '../config/exchange-closures-file.js';
import { errorMessage } from '../errors.js';
import type { Executor } from '../jobs/executor.js';
import type { Job } from '../jobs/job.js';
import {
  calendarChanges,
  ClosuresFileRefusedError,
  createOfflineCalendar,
  loadChineseDaysHolidays,
  type ExchangeClosures,
  type LiveOfflineCalendar,
  type OfflineCalendar,
  type PublicHolidays,
} from '../sources/offline-calendar/index.js';
import type { StorageTargets } from '../storage/targets.js';
import { refillCalendarYears } from './calendar-refill.js';
import type { AppConfig } from './config.js';

export interface ClosuresFileStatus {
  file: string;
  /** When the calendar in use was read from the file. */
  loadedAt: Date;
  /** The last refused edit, until a reload succeeds. */
  refused: { at: Date; error: ClosuresFileRefusedError } | null;
}

export type ClosuresReload =
  | { ok: true; changedYears: number[]; jobs: Job[] }
  | { ok: false; error: ClosuresFileRefusedError };

export interface ClosuresReloaderDeps {
  file: string;
  /** Reload when the file changes. */
  watch: boolean;
  holidays: PublicHolidays;
  /** The calendar in use; a successful reload replaces what it holds. */
  calendar: LiveOfflineCalendar;
  /** The file as read at start-up (by the configuration loader, which refuses a bad one). */
  initial: ExchangeClosures;
  targets: StorageTargets;
  executor: Executor;
  logger: Logger;
  /** Milliseconds a burst of writes must settle before the file is read again. */
  settleMs?: number;
}

/**
 * Keeps the offline calendar in step with the exchange closures file. A reload that reads a valid
 * file puts the new calendar in use and refills, through jobs, the stored years whose days changed;
 * a refused one is logged and changes nothing. Reloads run one at a time, in order.
 */
export class ClosuresReloader {
  readonly #deps: ClosuresReloaderDeps;
  #status: ClosuresFileStatus;
  #fingerprint: string;
  #watcher: { close(): void } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: ClosuresReloaderDeps) {
    this.#deps = deps;
    this.#status = { file: deps.file, loadedAt: new Date(), refused: null };
    this.#fingerprint = JSON.stringify(deps.initial);
  }

  /**
   * Refills the years the file decides where the stored calendar lacks them (the file may have been
   * edited while the server was down), then watches the file.
   */
  async start(): Promise<Job[]> {
    const { calendar, logger } = this.#deps;
    const years = fileYears(calendar.current);
    const jobs = await this.#refill(calendar.current, years, 'exchange closures file at start-up');
    if (this.#deps.watch) {
      try {
        this.#watcher = watchDebounced(
          this.#deps.file,
          'file',
          () =>
            void this.reload().catch((error: unknown) =>
              logger.error({ err: error }, 'reloading the exchange closures file failed'),
            ),
          this.#deps.settleMs === undefined ? {} : { settleMs: this.#deps.settleMs },
        );
      } catch (error) {
        logger.warn(
          { file: this.#deps.file, error: errorMessage(error) },
          'cannot watch the exchange closures file; use the reloadExchangeClosures mutation',
        );
      }
    }
    return jobs;
  }

  /** Stops watching and waits for a reload under way, so nothing runs on a closed store. */
  async stop(): Promise<void> {
    this.#watcher?.close();
    await this.#queue;
  }

  status(): ClosuresFileStatus {
    return this.#status;
  }

  /** Reads the file again; never throws for a bad file (the result says why it was refused). */
  reload(): Promise<ClosuresReload> {
    const next = this.#queue.then(() => this.#reload());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reload(): Promise<ClosuresReload> {
    const { file, holidays, calendar, logger } = this.#deps;
    let closures: ExchangeClosures;
    try {
      closures = readExchangeClosuresFile(file, holidays);
    } catch (error) {
      const refused = new ClosuresFileRefusedError(file, errorMessage(error));
      this.#status = { ...this.#status, refused: { at: new Date(), error: refused } };
      logger.error(
        { file, error: refused.message },
        'the exchange closures file was refused; the offline calendar in use stays as it was',
      );
      return { ok: false, error: refused };
    }
    this.#status = { ...this.#status, refused: null };
    const fingerprint = JSON.stringify(closures);
    if (fingerprint === this.#fingerprint) return { ok: true, changedYears: [], jobs: [] };
    const next = createOfflineCalendar(holidays, closures);
    const previous = calendar.replace(next);
    this.#fingerprint = fingerprint;
    this.#status = { ...this.#status, loadedAt: new Date() };
    const { changed, uncovered } = calendarChanges(previous, next);
    logger.info(
      {
        file,
        coveredTo: next.coverage.to,
        coveredBy: next.coverage.source,
        changedYears: changed,
      },
      `exchange closures file reloaded: the offline calendar covers ${next.coverage.from} to ${next.coverage.to}` +
        (next.coverage.source === 'file' ? ' (its last years from the file)' : ''),
    );
    if (uncovered.length > 0)
      logger.warn(
        { file, years: uncovered },
        `the offline calendar no longer covers ${uncovered.join(', ')}; days already stored for them stay as they are`,
      );
    const jobs = await this.#refill(next, changed, 'exchange closures file reloaded');
    return { ok: true, changedYears: changed, jobs };
  }

  async #refill(calendar: OfflineCalendar, years: number[], reason: string): Promise<Job[]> {
    const { targets, executor, logger } = this.#deps;
    try {
      return await refillCalendarYears({ targets, executor, logger, calendar }, years, reason);
    } catch (error) {
      logger.error(
        { years, error: errorMessage(error) },
        'could not refill the stored trading calendar from the offline calendar',
      );
      return [];
    }
  }
}

/** The covered years the file has a say in: those it lists and those it alone covers. */
function fileYears(calendar: OfflineCalendar): number[] {
  const years = new Set(calendar.closures?.years.map((y) => y.year) ?? []);
  const packageLast = Number(calendar.coverage.packageTo.slice(0, 4));
  for (let year = packageLast + 1; year <= Number(calendar.coverage.to.slice(0, 4)); year++)
    years.add(year);
  return [...years];
}

/** The reloader of the closures file server.json names, or null when it names none. */
export function closuresReloaderFor(
  config: AppConfig,
  parts: Pick<ClosuresReloaderDeps, 'calendar' | 'targets' | 'executor' | 'logger'>,
): ClosuresReloader | null {
  const settings = config.server.exchangeClosures;
  if (!settings || !config.exchangeClosures) return null;
  return new ClosuresReloader({
    ...parts,
    file: settings.file,
    watch: settings.watch,
    holidays: loadChineseDaysHolidays(),
    initial: config.exchangeClosures,
  });
}
