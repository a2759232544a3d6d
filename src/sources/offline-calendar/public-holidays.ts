import { z } from 'zod';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { ValidationError } from '../../errors.js';
import { zodProblems, formatProblems } from '../../validation.js';

/** The public holidays (放假日) of every year a holiday data set covers. */
export interface PublicHolidays {
  /** Every date (YYYY-MM-DD) that is a public holiday, weekdays and weekends alike. */
  readonly dates: ReadonlySet<string>;
  /** First and last year with holiday data; every year between them has data too. */
  readonly firstYear: number;
  readonly lastYear: number;
}

const dateKey = z.iso.date();

/**
 * The shape of chinese-days' published data file (dist/chinese-days.json, documented in its
 * README for non-JS users). Only `holidays` matters here: its `workdays` are the make-up weekend
 * working days (调休上班), which are never trading days, so they are deliberately ignored.
 */
const chineseDaysSchema = z.object({
  holidays: z.record(dateKey, z.string()),
});

/**
 * Validates holiday data in chinese-days' JSON shape and finds which years it covers. The last
 * year is read from the data, so a package update extends the calendar without a code change.
 *
 * We read the data file rather than calling the package's functions: those parse 'YYYY-MM-DD' as
 * UTC midnight but format with local-time getters, so on a server west of UTC (e.g.
 * America/New_York) chinese-days 1.5.7 reports every holiday one day early.
 */
export function publicHolidaysFromChineseDaysData(data: unknown): PublicHolidays {
  const parsed = chineseDaysSchema.safeParse(data);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, ['chinese-days.json']);
    throw new ValidationError(
      `chinese-days holiday data is malformed:\n${formatProblems(problems)}`,
      problems,
    );
  }
  const dates = Object.keys(parsed.data.holidays);
  const years = new Set(dates.map((date) => Number(date.slice(0, 4))));
  if (years.size === 0) {
    throw new ValidationError('chinese-days holiday data has no holidays at all');
  }
  const firstYear = Math.min(...years);
  const lastYear = Math.max(...years);
  // A year without any holiday means the data set skipped it; every real year has New Year's Day.
  for (let year = firstYear; year <= lastYear; year++) {
    if (!years.has(year)) {
      throw new ValidationError(
        `chinese-days holiday data has no holidays in ${year}, between ${firstYear} and ${lastYear}`,
      );
    }
  }
  return { dates: new Set(dates), firstYear, lastYear };
}

/** The holiday data of the installed chinese-days package. */
export function loadChineseDaysHolidays(): PublicHolidays {
  return publicHolidaysFromChineseDaysData(chineseDaysData);
}
