/**
 * Issue 16: what the disagreement check adds to the trade-day processor. Every BaoStock row the
 * offline calendar knows is looked up (about 8,700 of a full fetch's 13,000 rows); the baseline is
 * the processor's own cleaning of the same rows, timed the same way in the same run.
 */
import { performance } from 'node:perf_hooks';
import { findDisagreements } from '../src/components/builtin/trade-days/calendar-disagreements.js';
import { cleanTradeDays } from '../src/components/builtin/trade-days/processor.js';
import {
  createOfflineCalendar,
  exchangeClosuresSchema,
  loadChineseDaysHolidays,
} from '../src/sources/offline-calendar/index.js';
import type { BenchModule } from './bench-module.js';

const RUNS = 21;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const calendarDisagreementsBench: BenchModule = {
  name: 'calendar-disagreements',
  description:
    'The trade-day processor on a full BaoStock fetch, with the disagreement check against the offline calendar and without it.',
  run({ log }) {
    const holidays = loadChineseDaysHolidays();
    const next = holidays.lastYear + 1;
    // A closures file adding next year, so the check also covers file days.
    const calendar = createOfflineCalendar(
      holidays,
      exchangeClosuresSchema.parse({
        years: {
          [next]: {
            complete: true,
            notice: 'bench data, not a real notice',
            closures: [{ date: [1, 2, 3, 4].map((d) => `${next}-01-0${d}`).find(isWeekday)! }],
          },
        },
      }),
    );
    // Rows as BaoStock sends them, from its first day to the end of the covered range; the days
    // before 2004 are weekdays-open, which is all the benchmark needs of them.
    const rows: Array<{ calendarDate: string; isTradingDay: string; source: string }> = [];
    for (
      let t = Date.UTC(1990, 11, 19);
      t <= Date.parse(calendar.coveredRange.to);
      t += 86_400_000
    ) {
      const date = new Date(t).toISOString().slice(0, 10);
      const open = date >= '2004-01-01' ? calendar.isTradingDay(date) : isWeekday(date);
      rows.push({ calendarDate: date, isTradingDay: open ? '1' : '0', source: 'baostock' });
    }
    const clean = () => cleanTradeDays(rows).rows;
    const withCheck = () => {
      const cleaned = cleanTradeDays(rows).rows;
      return findDisagreements(cleaned, calendar).length;
    };
    // Warm-up, so both are timed with compiled code.
    for (let i = 0; i < 3; i++) {
      clean();
      withCheck();
    }
    const baseline: number[] = [];
    const checked: number[] = [];
    let disagreements = 0;
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      clean();
      baseline.push(performance.now() - started);
      started = performance.now();
      disagreements = withCheck();
      checked.push(performance.now() - started);
    }
    const base = median(baseline);
    const both = median(checked);
    const ratio = both / base;
    log(
      `${rows.length} rows: processor ${base.toFixed(1)} ms, with the check ${both.toFixed(1)} ms (× ${ratio.toFixed(2)}); ${disagreements} disagreements`,
    );
    const markdown =
      `${rows.length.toLocaleString('en')} rows (1990-12-19 to ${calendar.coveredRange.to}), medians of ${RUNS} interleaved runs.\n\n` +
      `| step | time | × processor alone |\n|---|---|---|\n` +
      `| processor alone (cleanTradeDays) | ${base.toFixed(1)} ms | 1.00 |\n` +
      `| processor with the disagreement check | ${both.toFixed(1)} ms | ${ratio.toFixed(2)} |\n`;
    return Promise.resolve({ markdown, missed: [] });
  },
};

function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day >= 1 && day <= 5;
}
