import { compareDecimals, parseDecimal, type Decimal } from './decimal.js';
import type { DailyBar } from './market-rows.js';

/** One bar refused, and why, in a sentence naming the security and the day. */
export interface DailyBarProblem {
  code: string;
  tradeDate: string;
  problem: string;
}

export interface DailyBarCheck {
  /** The bars that passed, once each, in the order given. */
  bars: DailyBar[];
  problems: DailyBarProblem[];
}

const PRICES = ['open', 'high', 'low', 'close'] as const;

/**
 * The processor's sanity checks on fetched bars, pure so they can run anywhere in a stream:
 * - a bar on a day the calendar says was closed;
 * - a traded bar (tradeStatus 1) without all four prices, or whose low and high do not bound its
 *   open and close;
 * - a negative volume;
 * - two bars for the same code and day that differ (neither is kept: which one is right is
 *   unknown); an identical repeat is just dropped.
 * A refused bar is left out of `bars` and described in `problems`; the rest pass through.
 */
export function checkDailyBars(
  bars: Iterable<DailyBar>,
  isTradingDay: ReadonlySet<string> | ((date: string) => boolean),
): DailyBarCheck {
  const open =
    typeof isTradingDay === 'function' ? isTradingDay : (d: string) => isTradingDay.has(d);
  const problems: DailyBarProblem[] = [];
  const byKey = new Map<string, { bar: DailyBar; text: string; conflicting: boolean }>();
  const order: string[] = [];
  for (const bar of bars) {
    const problem = barProblem(bar, open);
    if (problem !== undefined) {
      problems.push({
        code: bar.code,
        tradeDate: bar.tradeDate,
        problem: `${bar.code} ${bar.tradeDate}: ${problem}`,
      });
      continue;
    }
    const key = `${bar.code}|${bar.tradeDate}`;
    const text = JSON.stringify(bar);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { bar, text, conflicting: false });
      order.push(key);
    } else if (seen.text !== text && !seen.conflicting) {
      seen.conflicting = true;
      problems.push({
        code: bar.code,
        tradeDate: bar.tradeDate,
        problem: `${bar.code} ${bar.tradeDate}: two bars for the same day differ (${differences(seen.bar, bar)})`,
      });
    }
  }
  const passed = order
    .map((key) => byKey.get(key)!)
    .filter((e) => !e.conflicting)
    .map((e) => e.bar);
  return { bars: passed, problems };
}

function barProblem(bar: DailyBar, isTradingDay: (date: string) => boolean): string | undefined {
  if (!isTradingDay(bar.tradeDate))
    return 'a bar on a day the calendar says the exchange was closed';
  if (bar.volume !== null && bar.volume < 0) return `volume ${bar.volume} is negative`;
  if (bar.tradeStatus !== 1) return undefined;
  const missing = PRICES.filter((name) => bar[name] === null);
  if (missing.length > 0) return `a traded bar without ${missing.join(', ')}`;
  const [o, h, l, c] = PRICES.map((name) => parseDecimal(bar[name]!)) as Decimal[];
  if (!o || !h || !l || !c) return 'a price is not a decimal';
  const lowest = compareDecimals(o, c) <= 0 ? o : c;
  const highest = compareDecimals(o, c) <= 0 ? c : o;
  if (compareDecimals(l, lowest) > 0)
    return `low ${bar.low} is above the lower of open ${bar.open} and close ${bar.close}`;
  if (compareDecimals(h, highest) < 0)
    return `high ${bar.high} is below the higher of open ${bar.open} and close ${bar.close}`;
  return undefined;
}

function differences(a: DailyBar, b: DailyBar): string {
  return (Object.keys(a) as Array<keyof DailyBar>)
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${String(a[k])} vs ${String(b[k])}`)
    .join(', ');
}
