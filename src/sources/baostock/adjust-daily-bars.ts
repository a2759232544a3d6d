import { ValidationError } from '../../errors.js';
import {
  divideDecimals,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
  type Decimal,
} from './decimal.js';
import type { AdjustFactorRow, DailyBar } from './market-rows.js';

export type AdjustMode = 'NONE' | 'FORWARD' | 'BACKWARD';

/**
 * Adjusted prices from unadjusted bars and BaoStock's factor rows, exactly (BigInt decimals).
 *
 * BaoStock's meaning (its 涨跌幅复权 factors; checked against the captured forward k-lines of
 * sh.600000, e.g. 6.60 × 0.936211 = 6.1789926, the captured close of 2024-01-02): a factor row
 * dated d_i holds from d_i until the day before the next row's date. For a bar on day t, let i be
 * the last row with d_i ≤ t:
 *
 *   BACKWARD:  p'(t) = p(t) × back_i        (before the first row: back = 1, nothing paid yet)
 *   FORWARD:   p'(t) = p(t) × fore_i        (before the first row: fore_1 / back_1, the
 *                                             reciprocal of the latest back factor, rounded half
 *                                             away from zero to 6 places, BaoStock's precision)
 *
 * where fore_i = back_i / back_latest, so the latest period is unadjusted in FORWARD. The five
 * prices (open, high, low, close, preclose) are adjusted; volume, amount, turn and pctChg are
 * not (pctChg is already a change against the ex-rights reference). Raw prices have at most 4
 * decimals and factors 6, so every product fits the daily_bar columns (scale 10) exactly.
 *
 * Anchoring: the factor of a day depends only on that day and the factor rows, never on the
 * range of bars given, so two ranges adjusted apart stitch into the whole. That needs every row
 * dated up to the last bar (the security's whole history, e.g. query_adjust_factor from its
 * listing, or the adjust_factor table), not just the rows inside the bars' range: the row in
 * force on a range's first day is usually older. FORWARD is anchored where BaoStock anchors it,
 * at the latest factor of the rows given; pass the same rows to both pieces.
 */
export function adjustDailyBars(
  bars: readonly DailyBar[],
  factors: readonly AdjustFactorRow[],
  mode: AdjustMode,
): DailyBar[] {
  if (mode === 'NONE') return bars.map((bar) => ({ ...bar }));
  const byCode = factorTables(factors);
  return bars.map((bar) => {
    const factor = factorOn(byCode.get(bar.code) ?? [], bar.tradeDate, mode);
    const adjust = (price: string | null): string | null => {
      if (price === null) return null;
      const value = parseDecimal(price);
      if (!value)
        throw new ValidationError(
          `${bar.code} ${bar.tradeDate}: price ${JSON.stringify(price)} is not a decimal`,
        );
      return formatDecimal(multiplyDecimals(value, factor));
    };
    return {
      ...bar,
      open: adjust(bar.open),
      high: adjust(bar.high),
      low: adjust(bar.low),
      close: adjust(bar.close),
      preclose: adjust(bar.preclose),
    };
  });
}

interface FactorStep {
  date: string;
  fore: Decimal;
  back: Decimal;
}

const ONE: Decimal = { units: 1n, scale: 0 };

/** The rows of each code, ascending; one date given twice with different factors is refused. */
function factorTables(factors: readonly AdjustFactorRow[]): Map<string, FactorStep[]> {
  type Step = FactorStep & { row: AdjustFactorRow };
  const byCode = new Map<string, Map<string, Step>>();
  for (const row of factors) {
    const fore = parseDecimal(row.foreAdjustFactor);
    const back = parseDecimal(row.backAdjustFactor);
    if (!fore || !back || fore.units <= 0n || back.units <= 0n)
      throw new ValidationError(
        `${row.code} ${row.dividOperateDate}: factors must be positive decimals (fore ${row.foreAdjustFactor}, back ${row.backAdjustFactor})`,
      );
    let steps = byCode.get(row.code);
    if (!steps) byCode.set(row.code, (steps = new Map<string, Step>()));
    const seen = steps.get(row.dividOperateDate);
    if (
      seen &&
      (seen.row.foreAdjustFactor !== row.foreAdjustFactor ||
        seen.row.backAdjustFactor !== row.backAdjustFactor)
    )
      throw new ValidationError(
        `${row.code} ${row.dividOperateDate}: two factor rows for the same date differ`,
      );
    steps.set(row.dividOperateDate, { date: row.dividOperateDate, fore, back, row });
  }
  const tables = new Map<string, FactorStep[]>();
  for (const [code, steps] of byCode)
    tables.set(
      code,
      [...steps.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    );
  return tables;
}

function factorOn(
  steps: readonly FactorStep[],
  day: string,
  mode: 'FORWARD' | 'BACKWARD',
): Decimal {
  // The last step dated on or before the day (binary search: steps are few, bars many).
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]!.date <= day) lo = mid + 1;
    else hi = mid;
  }
  const step = steps[lo - 1];
  if (step) return mode === 'FORWARD' ? step.fore : step.back;
  const first = steps[0];
  if (!first || mode === 'BACKWARD') return ONE;
  return divideDecimals(first.fore, first.back, 6);
}
