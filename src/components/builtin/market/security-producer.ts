import { z } from 'zod';
import { fetchSecurities } from '../../../sources/baostock/market-fetch.js';
import type { SecurityRow } from '../../../storage/upsert/market-tables.js';
import { defineComponent } from '../../component.js';
import { checkEndpoint, endpointArgument, isoDay } from './market-arguments.js';

export const securityProducerArguments = z.strictObject({
  endpoint: endpointArgument,
  /** The day whose universe is listed (default: the job's partition). */
  day: isoDay.optional(),
});

/**
 * Every security BaoStock lists on a trading day, with its listing facts (stock_basic, in one
 * list of a few pages): what SecurityStorager upserts. Names and statuses change (ST, delisting),
 * and the upsert writes only what changed.
 */
export const baoStockSecurityProducer = defineComponent({
  name: 'BaoStockSecurityProducer',
  kind: 'PRODUCER',
  description:
    'Lists the securities of a trading day (BaoStock query_all_stock of the partition day, or `day`) with their listing facts (query_stock_basic): code, name, type, status, IPO and delisting dates.',
  argumentsSchema: securityProducerArguments,
  checkArguments: (args, environment) => checkEndpoint(args.endpoint, environment),
  async run(_input: undefined, { args, services, signal, logger, partition, setResult }) {
    const day = args.day ?? partition;
    if (day === null) throw new Error('no day: give "day", or run the job for a partition');
    const pool = services.baostockPools.pool(args.endpoint);
    const result = await fetchSecurities(pool, { day, fullListAbove: 0, signal });
    const rows: SecurityRow[] = result.securities.map((s) => ({
      code: s.code,
      name: s.name,
      type: s.type,
      status: s.status,
      ipoDate: s.ipoDate,
      outDate: s.outDate,
    }));
    logger.info(`${day}: ${result.universe.length} securities listed, ${rows.length} described`);
    setResult({ day, listed: result.universe.length, described: rows.length });
    return rows;
  },
});
