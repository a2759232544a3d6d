/** Streaming components for engine tests: batches of `stream_row` rows, counted in a probe. */
import { z } from 'zod';
import { defineComponent } from '../../src/components/component.js';
import { storeRows } from '../../src/components/store-rows.js';
import { isBatchStream, mapBatches, type Rows } from '../../src/pipeline/batches.js';
import {
  countReleases,
  recordLead,
  streamProbe,
  streamRow,
  streamRowTable,
  type StreamRow,
} from '../support/stream-rows.js';

export const batchProducer = defineComponent({
  name: 'TestBatchProducer',
  kind: 'PRODUCER',
  description:
    'Yields `batches` batches of `batchSize` stream_row rows (ids from 1); `waitAtBatch` waits for the signal there.',
  argumentsSchema: z.strictObject({
    batches: z.number().int().min(0),
    batchSize: z.number().int().min(1),
    probe: z.string(),
    /** The steps reading this one, to record how far ahead of each it gets. */
    readers: z.array(z.string()).default([]),
    /** Yields a row the table refuses (a value too long) in this batch. */
    badRowAtBatch: z.number().int().min(1).optional(),
    /** Stops at this batch until the job's signal aborts, like a source that blocks. */
    waitAtBatch: z.number().int().min(1).optional(),
  }),
  run(_input: undefined, { args, signal }) {
    const p = streamProbe(args.probe);
    return (async function* () {
      try {
        for (let k = 1; k <= args.batches; k++) {
          if (k === args.waitAtBatch) {
            p.markWaiting();
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
            signal.throwIfAborted();
          }
          const first = (k - 1) * args.batchSize + 1;
          const rows = Array.from({ length: args.batchSize }, (_, i) => streamRow(first + i));
          if (k === args.badRowAtBatch) rows[0] = { id: first, value: 'x'.repeat(100) };
          p.yielded = k;
          recordLead(p, k, args.readers);
          yield await Promise.resolve(rows);
        }
      } finally {
        p.finallyRan = true;
      }
    })();
  },
});

export const batchProcessor = defineComponent({
  name: 'TestBatchProcessor',
  kind: 'PROCESSOR',
  description: 'Upper-cases each value, batch by batch; fails on `failAtBatch`.',
  argumentsSchema: z.strictObject({
    probe: z.string(),
    readers: z.array(z.string()).default([]),
    failAtBatch: z.number().int().min(1).optional(),
  }),
  run(input: Rows<StreamRow>, { args, stepName }): Rows<StreamRow> | Promise<Rows<StreamRow>> {
    const p = streamProbe(args.probe);
    const counted = isBatchStream(input) ? countReleases(input, p, stepName) : input;
    let mapped = 0;
    return mapBatches(counted, (batch, index) => {
      if (index + 1 === args.failAtBatch)
        throw new Error(`row ${batch[0]!.id} in batch ${index + 1} is not a valid row`);
      recordLead(p, ++mapped, args.readers);
      return batch.map((row) => ({ id: row.id, value: row.value.toUpperCase() }));
    });
  },
});

export const streamRowStorager = defineComponent({
  name: 'TestStreamRowStorager',
  kind: 'STORAGER',
  description: 'Upserts stream_row rows into the named targets with storeRows.',
  argumentsSchema: z.strictObject({ probe: z.string(), targets: z.array(z.string()).min(1) }),
  run(input: Rows<StreamRow>, context): Rows<StreamRow> | Promise<Rows<StreamRow>> {
    const { args, services, stepName } = context;
    const p = streamProbe(args.probe);
    const counted = isBatchStream(input) ? countReleases(input, p, stepName) : input;
    const targets = args.targets.map((name) => services.targets.get(name));
    return storeRows(counted, { table: streamRowTable, targets, context });
  },
});
