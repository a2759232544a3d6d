/**
 * Components for the streaming benchmark: `rows` synthetic stream_row rows, as one array or as a
 * stream of batches, through a processor into MySQL (bench/streaming.ts).
 */
import { z } from 'zod';
import { defineComponent } from '../../src/components/component.js';
import { storeRows } from '../../src/components/store-rows.js';
import { batches, mapBatches, type Rows } from '../../src/pipeline/batches.js';
import { streamRow, streamRowTable, type StreamRow } from '../../test/support/stream-rows.js';

function* rowsFrom(count: number): Generator<StreamRow> {
  for (let id = 1; id <= count; id++) yield streamRow(id);
}

export const benchRowsProducer = defineComponent({
  name: 'BenchRowsProducer',
  kind: 'PRODUCER',
  description:
    'Makes `rows` stream_row rows: one array, or batches of `batchSize` as they are asked for.',
  argumentsSchema: z.strictObject({
    rows: z.number().int().min(1),
    batchSize: z.number().int().min(1).default(5000),
    form: z.enum(['array', 'stream']),
  }),
  run(_input: undefined, { args }): Rows<StreamRow> {
    return args.form === 'array'
      ? Array.from(rowsFrom(args.rows))
      : batches(rowsFrom(args.rows), args.batchSize);
  },
});

export const benchRowsProcessor = defineComponent({
  name: 'BenchRowsProcessor',
  kind: 'PROCESSOR',
  description: 'Upper-cases every value, written once for arrays and streams.',
  argumentsSchema: z.strictObject({}),
  run(input: Rows<StreamRow>): Rows<StreamRow> | Promise<Rows<StreamRow>> {
    return mapBatches(input, (batch) =>
      batch.map((row) => ({ id: row.id, value: row.value.toUpperCase() })),
    );
  },
});

export const benchRowsStorager = defineComponent({
  name: 'BenchRowsStorager',
  kind: 'STORAGER',
  description: 'Upserts stream_row rows into the named targets with storeRows.',
  argumentsSchema: z.strictObject({ targets: z.array(z.string()).min(1) }),
  run(input: Rows<StreamRow>, context): Rows<StreamRow> | Promise<Rows<StreamRow>> {
    const targets = context.args.targets.map((name) => context.services.targets.get(name));
    return storeRows(input, { table: streamRowTable, targets, context });
  },
});
