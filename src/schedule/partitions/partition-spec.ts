import { z } from 'zod';

/** A schedule file's `partitions`: which trading day each firing's job is for. */
export interface PartitionSpec {
  by: 'trading_day';
  /** Trading days back from the firing's day: 0 its own (or the latest before it), 1 the one before. */
  lag: number;
  /** After downtime, at most this many partitions run (the newest ones, oldest first). */
  maxCatchup: number;
  /** A firing on a day that does not trade: take the previous trading day, or run nothing. */
  nonTradingDay: 'previous' | 'skip';
}

export const partitionSpecSchema = z
  .strictObject({
    by: z.literal('trading_day', {
      error: 'must be "trading_day" (the only partitioning there is)',
    }),
    lag: z.number().int().min(0).max(250).default(0),
    max_catchup: z.number().int().min(1).max(1000).default(10),
    non_trading_day: z.enum(['previous', 'skip']).default('previous'),
  })
  .transform((p): PartitionSpec => ({
    by: p.by,
    lag: p.lag,
    maxCatchup: p.max_catchup,
    nonTradingDay: p.non_trading_day,
  }));
