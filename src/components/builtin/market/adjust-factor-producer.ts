import { z } from 'zod';
import { fetchAdjustFactors } from '../../../sources/baostock/market-fetch.js';
import type { AdjustFactorRow } from '../../../sources/baostock/market-rows.js';
import { defineComponent } from '../../component.js';
import { checkEndpoint, endpointArgument, isoDay, securityCode } from './market-arguments.js';
import { securityBatches } from './security-stream.js';
import { universeCodes, universeDay } from './universe.js';

/** The first day of the Shanghai exchange: a factor history from here is the whole history. */
export const MARKET_START = '1990-12-19';

export const adjustFactorProducerArguments = z.strictObject({
  endpoint: endpointArgument,
  /** Factor rows dated from (default: the market's first day, so each history is whole). */
  from: isoDay.default(MARKET_START),
  /** Up to (default: the job's partition). */
  to: isoDay.optional(),
  codes: z.array(securityCode).min(1).max(20_000).optional(),
  includeIndices: z.boolean().default(false),
  batchRows: z.number().int().min(1).max(100_000).default(5_000),
});

/**
 * Adjustment factors (query_adjust_factor) per security: one row per ex-dividend date with
 * BaoStock's fore, back and plain factors, exact. Adjusted prices are computed from them.
 */
export const baoStockAdjustFactorProducer = defineComponent({
  name: 'BaoStockAdjustFactorProducer',
  kind: 'PRODUCER',
  description:
    'Fetches each security’s adjustment factors from BaoStock (one row per ex-dividend date, fore, back and plain factors, exact) from `from` (default: the market’s first day, the whole history) to the partition day (or `to`), of `codes` (default: every stock listed on the last trading day by the stored calendar), streamed in batches as securities complete.',
  argumentsSchema: adjustFactorProducerArguments,
  checkArguments: (args, environment) => checkEndpoint(args.endpoint, environment),
  async run(_input: undefined, context): Promise<AsyncIterable<AdjustFactorRow[]>> {
    const { args, services, signal, logger, partition } = context;
    const to = args.to ?? partition;
    if (to === null) throw new Error('no day: give "to", or run the job for a partition');
    const pool = services.baostockPools.pool(args.endpoint);
    const codes =
      args.codes ??
      (await universeCodes(
        pool,
        await universeDay(services.tradingDays, { from: args.from ?? MARKET_START, to }),
        { includeIndices: args.includeIndices, signal, logger },
      ));
    return securityBatches(fetchAdjustFactors(pool, { codes, from: args.from, to, signal }), {
      batchRows: args.batchRows,
      logger,
      reportProgress: context.reportProgress,
      setResult: context.setResult,
    });
  },
});
