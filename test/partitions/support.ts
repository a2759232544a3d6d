import type { StoredTradingDays } from '../../src/schedule/partitions/stored-trading-days.js';

/** A stored calendar in memory: every day in `[first, last]` is stored, trading unless listed closed. */
export function tradingDaysOf(
  first: string,
  last: string,
  closed: (day: string) => boolean,
): StoredTradingDays & { days: Array<{ day: string; trading: boolean }> } {
  const days: Array<{ day: string; trading: boolean }> = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ day, trading: !closed(day) });
  }
  const trading = days.filter((d) => d.trading).map((d) => d.day);
  return {
    days,
    isTradingDay: (day) => Promise.resolve(days.find((d) => d.day === day)?.trading),
    previousTradingDay: (day) => Promise.resolve(trading.findLast((d) => d < day) ?? null),
    tradingDaysBetween: (from, to) => Promise.resolve(trading.filter((d) => d >= from && d <= to)),
    storedRange: () =>
      Promise.resolve(days.length ? { first: days[0]!.day, last: days.at(-1)!.day } : null),
  };
}

/** Saturdays and Sundays. */
export const weekend = (day: string): boolean => [0, 6].includes(new Date(day).getUTCDay());

/** New Year's Day, the 2024 Spring Festival closure (9 to 17 February) and weekends: the exchange's real calendar. */
export const spring2024 = (day: string): boolean =>
  weekend(day) || day === '2024-01-01' || (day >= '2024-02-09' && day <= '2024-02-17');
