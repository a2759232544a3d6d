/**
 * Issue 13's benchmark, in one run: part 1, one trading day for the captured universe from a
 * slow fake BaoStock, 1 session against 8 (daily-bars/fetch-day.ts); part 2, a year of bars
 * streamed by the real job into two MySQL databases and SQLite against each one's own limit
 * (daily-bars/year-into-targets.ts).
 */
import type { BenchModule } from './bench-module.js';
import { benchFetchDay } from './daily-bars/fetch-day.js';
import { benchYearIntoTargets } from './daily-bars/year-into-targets.js';

export const dailyBarsBench: BenchModule = {
  name: 'daily-bars',
  description:
    'Daily bars: one day of the captured universe from the fake BaoStock with 20 ms per reply, 1 session against 8; then a year of bars streamed into two MySQL databases and SQLite against LOAD DATA and a plain INSERT.',
  async run(context) {
    const day = await benchFetchDay(context);
    const year = await benchYearIntoTargets(context);
    return {
      markdown: [day.markdown, ...year.markdown].join('\n'),
      missed: [...day.missed, ...year.missed],
    };
  },
};
