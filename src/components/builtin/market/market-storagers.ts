import { z } from 'zod';
import type { Rows } from '../../../pipeline/batches.js';
import {
  adjustFactorTable,
  dailyBarTable,
  securityTable,
  type AdjustFactorRow,
  type DailyBarRow,
  type SecurityRow,
} from '../../../storage/upsert/market-tables.js';
import type { UpsertTable } from '../../../storage/upsert/upsert-table.js';
import { defineComponent } from '../../component.js';
import { storeRows } from '../../store-rows.js';
import { checkTargets, targetsArgument, targetsOf } from './market-arguments.js';

const storagerArguments = z.strictObject({ targets: targetsArgument });

/** A storager of one market table: arrays in one transaction per target, streams per batch. */
function marketStorager<Row>(name: string, table: UpsertTable<Row>, what: string) {
  return defineComponent({
    name,
    kind: 'STORAGER',
    description: `Upserts ${what} into the named storage targets (all by default), all at once: an array in one transaction per target, a stream batch by batch (one transaction per batch and target), through the bulk-load path where the server allows it; inserted / updated / unchanged per target. A failed target does not stop the others, and fails the job naming it.`,
    argumentsSchema: storagerArguments,
    checkArguments: (args, environment) => checkTargets(args.targets, environment),
    run: async (input: Rows<Row>, context): Promise<Rows<Row>> =>
      storeRows(input, {
        table,
        targets: targetsOf(context.args.targets, context.services),
        context,
      }),
  });
}

export const securityStorager = marketStorager<SecurityRow>(
  'SecurityStorager',
  securityTable,
  'securities (table `security`)',
);
export const dailyBarStorager = marketStorager<DailyBarRow>(
  'DailyBarStorager',
  dailyBarTable,
  'unadjusted daily bars (table `daily_bar`)',
);
export const adjustFactorStorager = marketStorager<AdjustFactorRow>(
  'AdjustFactorStorager',
  adjustFactorTable,
  'adjustment factors (table `adjust_factor`)',
);
