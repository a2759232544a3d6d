import type {
  CalendarCoverage,
  CalendarDay,
  CalendarRange,
  KnownDay,
  OfflineCalendar,
} from './calendar-types.js';
import type { ExchangeClosures } from './closures-schema.js';

/**
 * The offline calendar in use, which a reload of the closures file replaces as a whole. Every part
 * that holds it (components, the API, the coverage check) reads the current calendar on each call,
 * so none of them keeps answering from the one it was given at start-up.
 */
export class LiveOfflineCalendar implements OfflineCalendar {
  #current: OfflineCalendar;

  constructor(initial: OfflineCalendar) {
    this.#current = initial;
  }

  /** The calendar in use now; hold it to answer several questions from one version. */
  get current(): OfflineCalendar {
    return this.#current;
  }

  /** Puts `next` in use; returns the calendar it replaces. */
  replace(next: OfflineCalendar): OfflineCalendar {
    const previous = this.#current;
    this.#current = next;
    return previous;
  }

  get coveredRange(): CalendarRange {
    return this.#current.coveredRange;
  }

  get coverage(): CalendarCoverage {
    return this.#current.coverage;
  }

  get closures(): ExchangeClosures | null {
    return this.#current.closures;
  }

  days(from: string, to: string): CalendarDay[] {
    return this.#current.days(from, to);
  }

  isTradingDay(date: string): boolean {
    return this.#current.isTradingDay(date);
  }

  knownDay(date: string): KnownDay | null {
    return this.#current.knownDay(date);
  }

  coverageWarning(today: string): string | null {
    return this.#current.coverageWarning(today);
  }
}
