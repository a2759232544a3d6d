/** Components for engine tests. Loaded as user components from this folder. */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineComponent } from '../../src/components/component.js';
import { probe } from '../support/probe.js';

export const rowsProducer = defineComponent({
  name: 'TestRowsProducer',
  kind: 'PRODUCER',
  description: 'Produces `rows` numbers after `ms` milliseconds, logging `lines` lines on the way.',
  argumentsSchema: z.strictObject({
    rows: z.number().int().min(0).default(3),
    ms: z.number().int().min(0).default(0),
    lines: z.number().int().min(0).default(0),
    probe: z.string().optional(),
    fail: z.string().optional(),
    /** Sleep without looking at the abort signal, like a component that hangs. */
    ignoreAbort: z.boolean().default(false),
  }),
  async run(_input: undefined, { args, logger, signal, jobId }) {
    const p = args.probe ? probe(args.probe) : undefined;
    if (p) {
      p.running++;
      p.maxRunning = Math.max(p.maxRunning, p.running);
      p.started.push(jobId);
    }
    try {
      for (let i = 1; i <= args.lines; i++) logger.info(`line ${i} of ${jobId}`);
      if (args.ms > 0)
        await (args.ignoreAbort ? sleep(args.ms) : sleep(args.ms, undefined, { signal }));
      if (args.fail) throw new Error(args.fail);
      return Array.from({ length: args.rows }, (_, i) => i + 1);
    } finally {
      if (p) p.running--;
    }
  },
});

export const doubleProcessor = defineComponent({
  name: 'TestDoubleProcessor',
  kind: 'PROCESSOR',
  description: 'Doubles each number.',
  argumentsSchema: z.strictObject({ fail: z.string().optional() }),
  run(input: number[], { args, logger }) {
    if (args.fail) throw new Error(args.fail);
    logger.info(`doubling ${input.length} rows`);
    return input.map((n) => n * 2);
  },
});

export const collectStorager = defineComponent({
  name: 'TestCollectStorager',
  kind: 'STORAGER',
  description: 'Keeps its input in a probe and records a result.',
  argumentsSchema: z.strictObject({ probe: z.string(), targets: z.array(z.string()).optional() }),
  run(input: unknown[], { args, setResult, reportProgress }) {
    probe(args.probe).values.push(input);
    reportProgress({ done: input.length, total: input.length, label: 'memory' });
    setResult({ stored: input.length });
    return input;
  },
});

export const partitionProducer = defineComponent({
  name: 'TestPartitionProducer',
  kind: 'PRODUCER',
  description: 'Records the partition it was run for as its result.',
  argumentsSchema: z.strictObject({}),
  run(_input: undefined, { partition, setResult }) {
    setResult({ partition });
    return [];
  },
});
