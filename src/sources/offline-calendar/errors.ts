import { AppError } from '../../errors.js';
import type { CalendarRange } from './calendar-types.js';

/**
 * A date or range outside what the offline calendar covers. The offline data cannot know closures
 * it was never given, so it refuses rather than guessing; BaoStock is the source for the rest.
 */
export class CalendarRangeError extends AppError {
  readonly code = 'CALENDAR_RANGE';

  constructor(
    readonly requested: CalendarRange,
    readonly covered: CalendarRange,
  ) {
    const asked =
      requested.from === requested.to ? requested.from : `${requested.from} to ${requested.to}`;
    super(
      `the offline trading calendar covers ${covered.from} to ${covered.to}; ${asked} is outside it. ` +
        'BaoStock (query_trade_dates) serves dates outside that range.',
    );
  }
}

/**
 * The exchange closures file was refused (while the server runs): the offline calendar in use stays
 * as it was. The message has one line per problem, each naming the file, the entry and what is wrong.
 */
export class ClosuresFileRefusedError extends AppError {
  readonly code = 'CLOSURES_FILE_REFUSED';

  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}
