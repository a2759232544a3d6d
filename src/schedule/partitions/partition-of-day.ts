import type { PartitionSpec } from './partition-spec.js';
import type { StoredTradingDays } from './stored-trading-days.js';

/** The trading day a firing is for, or why it has none (then the firing runs nothing). */
export type PartitionChoice =
  { partition: string; reason?: undefined } | { partition: null; reason: string };

/**
 * The partition of a firing on calendar day `day` (in the schedule's time zone): the latest
 * trading day on or before it, then `lag` trading days further back. A day the calendar does not
 * cover has no partition: guessing would load the wrong day's data under the right day's name.
 */
export async function partitionOfDay(
  day: string,
  spec: Pick<PartitionSpec, 'lag' | 'nonTradingDay'>,
  days: StoredTradingDays,
): Promise<PartitionChoice> {
  const trades = await days.isTradingDay(day);
  if (trades === undefined)
    return { partition: null, reason: `the stored trading calendar does not cover ${day}` };
  let partition: string | null = day;
  if (!trades) {
    if (spec.nonTradingDay === 'skip')
      return {
        partition: null,
        reason: `${day} is not a trading day (the schedule's non_trading_day is "skip")`,
      };
    partition = await days.previousTradingDay(day);
  }
  for (let back = 0; back < spec.lag && partition !== null; back++)
    partition = await days.previousTradingDay(partition);
  if (partition === null)
    return {
      partition: null,
      reason: `the stored trading calendar has no trading day ${spec.lag > 0 ? `${spec.lag} trading day(s) ` : ''}before ${day}`,
    };
  return { partition };
}

/**
 * The partitions a firing runs after downtime: every trading day after the last finished one up
 * to the current one, oldest first, cut to the newest `maxCatchup`. Without a finished partition
 * (a new schedule) only the current one runs: history is for `backfill`.
 */
export async function catchUpPartitions(
  lastFinished: string | null,
  current: string,
  maxCatchup: number,
  days: StoredTradingDays,
): Promise<{ partitions: string[]; dropped: string[] }> {
  if (lastFinished === null || lastFinished >= current)
    return { partitions: [current], dropped: [] };
  const missed = (await days.tradingDaysBetween(lastFinished, current)).filter(
    (d) => d > lastFinished,
  );
  if (!missed.includes(current)) missed.push(current);
  const keep = Math.max(1, maxCatchup);
  return { partitions: missed.slice(-keep), dropped: missed.slice(0, -keep) };
}
