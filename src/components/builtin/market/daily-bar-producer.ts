import { z } from 'zod';
import { fetchDailyBars } from '../../../sources/baostock/market-fetch.js';
import type { DailyBar } from '../../../sources/baostock/market-rows.js';
import { defineComponent } from '../../component.js';
import {
  checkEndpoint,
  endpointArgument,
  fetchRange,
  isoDay,
  securityCode,
} from './market-arguments.js';
import { securityBatches } from './security-stream.js';
import { universeCodes, universeDay } from './universe.js';

export const dailyBarProducerArguments = z.strictObject({
  endpoint: endpointArgument,
  /** First and last day (default: the job's partition). */
  from: isoDay.optional(),
  to: isoDay.optional(),
  /** Securities to fetch (default: every stock in BaoStock's universe of the last trading day). */
  codes: z.array(securityCode).min(1).max(20_000).optional(),
  /** With the default universe: indices too. */
  includeIndices: z.boolean().default(false),
  /** Rows per batch handed to the next step: 5,000 and more go through the bulk-load path on MySQL. */
  batchRows: z.number().int().min(1).max(100_000).default(5_000),
});

/**
 * Unadjusted daily k-lines (query_history_k_data_plus, frequency d, adjustflag 3) per security
 * over the session pool of the endpoint, streamed in batches as securities complete.
 */
export const baoStockDailyBarProducer = defineComponent({
  name: 'BaoStockDailyBarProducer',
  kind: 'PRODUCER',
  description:
    'Fetches unadjusted daily bars from BaoStock for the partition day (or `from`/`to`) of `codes` (default: every stock listed that day; indices with `includeIndices`), over the endpoint’s session pool, and streams them in batches as securities complete; progress counts securities. A security failing after its retries is listed and fails the job once the others are written.',
  argumentsSchema: dailyBarProducerArguments,
  checkArguments: (args, environment) => checkEndpoint(args.endpoint, environment),
  async run(_input: undefined, context): Promise<AsyncIterable<DailyBar[]>> {
    const { args, services, signal, logger, partition } = context;
    const { from, to } = fetchRange(args, partition);
    const pool = services.baostockPools.pool(args.endpoint);
    const codes =
      args.codes ??
      (await universeCodes(pool, await universeDay(services.tradingDays, { from, to }), {
        includeIndices: args.includeIndices,
        signal,
        logger,
      }));
    logger.info(`daily bars ${from}..${to} of ${codes.length} securities, ${pool.size} sessions`);
    return securityBatches(fetchDailyBars(pool, { codes, from, to, signal }), {
      batchRows: args.batchRows,
      logger,
      reportProgress: context.reportProgress,
      setResult: context.setResult,
    });
  },
});
