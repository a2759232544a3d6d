import { z } from 'zod';
import { ValidationError } from '../../../errors.js';
import { isBatchStream, mapBatches, type Rows } from '../../../pipeline/batches.js';
import type { StoredTradingDays } from '../../../schedule/partitions/stored-trading-days.js';
import {
  checkDailyBars,
  type DailyBarProblem,
} from '../../../sources/baostock/check-daily-bars.js';
import type { DailyBar } from '../../../sources/baostock/market-rows.js';
import { defineComponent } from '../../component.js';

/** Refused bars: the job fails naming them once every good bar is handed on. */
export class DailyBarsRefusedError extends ValidationError {
  constructor(problems: readonly DailyBarProblem[]) {
    const shown = problems.slice(0, 20).map((p) => p.problem);
    super(
      `${problems.length} daily bar(s) refused: ${shown.join('; ')}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`,
      problems.slice(0, 100).map((p) => ({ path: `${p.code} ${p.tradeDate}`, message: p.problem })),
    );
  }
}

/**
 * A predicate of closed days from the stored calendar, for the days of one batch: a day the
 * calendar does not hold is not called closed (that would refuse data for want of a calendar).
 */
async function closedDays(
  days: StoredTradingDays,
  dates: readonly string[],
): Promise<(date: string) => boolean> {
  if (dates.length === 0) return () => true;
  const sorted = [...dates].sort();
  const from = sorted[0]!;
  const to = sorted.at(-1)!;
  const [trading, stored] = await Promise.all([
    days.tradingDaysBetween(from, to),
    days.storedRange(),
  ]);
  const open = new Set(trading);
  return (date) => open.has(date) || !stored || date < stored.first || date > stored.last;
}

/**
 * Checks bars as they pass: a bar on a day the stored calendar says was closed, a traded bar
 * whose low and high do not bound its open and close, a negative volume, and two different bars
 * for one key are refused, each named by code and date; the rest go on unchanged.
 */
export const dailyBarProcessor = defineComponent({
  name: 'DailyBarProcessor',
  kind: 'PROCESSOR',
  description:
    'Checks daily bars as they pass: refuses, naming code and date, a bar on a day the stored calendar says was closed, a traded bar whose low/high do not bound open and close, a negative volume, and two different bars for one code and day. Good bars go on (an array stays an array, a stream a stream); refused ones fail the job once the rest are written.',
  argumentsSchema: z.strictObject({}),
  async run(input: Rows<DailyBar>, { services, logger, setResult }): Promise<Rows<DailyBar>> {
    const refused: DailyBarProblem[] = [];
    let passed = 0;
    const check = async (batch: readonly DailyBar[]): Promise<DailyBar[]> => {
      const open = await closedDays(services.tradingDays, [
        ...new Set(batch.map((b) => b.tradeDate)),
      ]);
      const { bars, problems } = checkDailyBars(batch, open);
      for (const p of problems.slice(0, Math.max(0, 20 - refused.length))) logger.warn(p.problem);
      refused.push(...problems);
      passed += bars.length;
      return bars;
    };
    const finish = () => {
      setResult({ passed, refused: refused.length });
      if (refused.length > 0) throw new DailyBarsRefusedError(refused);
    };
    if (!isBatchStream(input))
      return (async () => {
        const bars = await mapBatches(input, check);
        finish();
        return bars;
      })();
    return (async function* () {
      yield* mapBatches(input, check);
      finish();
    })();
  },
});
