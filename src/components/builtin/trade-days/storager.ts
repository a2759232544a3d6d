import { z } from 'zod';
import { ValidationError } from '../../../errors.js';
import type { Rows } from '../../../pipeline/batches.js';
import { tradeDayTable } from '../../../storage/upsert/index.js';
import { defineComponent } from '../../component.js';
import { storeRows } from '../../store-rows.js';
import type { TradeDayRow } from './raw-trade-day.js';

export const storagerArguments = z.strictObject({
  /** Names of the storage targets to write (all configured targets by default). */
  targets: z.array(z.string().min(1)).min(1).optional(),
});

/**
 * Upserts trade days into every named target at once, each in its own transaction, in a few
 * multi-row statements. A failed target does not stop the others; the job then fails naming it.
 * Given a stream of batches, it writes each batch as it arrives (store-rows.ts).
 */
export const baoStockTradeDayStorager = defineComponent({
  name: 'BaoStockTradeDayStorager',
  kind: 'STORAGER',
  description:
    'Upserts trade days into the named storage targets (all by default), all at once, each in its own transaction, ' +
    'in multi-row statements sized to the server; reports inserted / updated / unchanged rows per target. ' +
    'A failed target does not stop the others, and fails the job naming it.',
  argumentsSchema: storagerArguments,
  async run(input: Rows<TradeDayRow>, context): Promise<Rows<TradeDayRow>> {
    const { args, services } = context;
    const known = services.targets.names();
    const unknown = (args.targets ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      const message = `unknown storage target(s) ${unknown.map((n) => `"${n}"`).join(', ')}; configured: ${known.join(', ')}`;
      throw new ValidationError(`targets: ${message}`, [{ path: 'targets', message }]);
    }
    const targets = (args.targets ?? known).map((name) => services.targets.get(name));
    return await storeRows(input, { table: tradeDayTable, targets, context });
  },
});
