/**
 * The components the GraphQL tests and benchmarks load: the engine's test components, plus a
 * chatty producer (many, possibly long, possibly paced log lines) and a CPU-heavy one that
 * offloads to the worker pool (or, to compare, blocks the event loop).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineComponent } from '../../../src/components/component.js';
import { spin } from './work/spin.js';

export {
  collectStorager,
  doubleProcessor,
  rowsProducer,
} from '../../components/test-components.js';

export const chattyProducer = defineComponent({
  name: 'TestChattyProducer',
  kind: 'PRODUCER',
  description:
    'Logs `lines` lines of about `lineBytes` characters, `perTick` at a time every `tickMs` ms (all at once when tickMs is 0; ticks keep to the clock, not drifting when the loop is busy), then produces `rows` numbers.',
  argumentsSchema: z.strictObject({
    lines: z.number().int().min(0).max(1_000_000),
    lineBytes: z.number().int().min(0).max(100_000).default(0),
    perTick: z.number().int().min(1).default(1000),
    tickMs: z.number().int().min(0).default(0),
    rows: z.number().int().min(0).default(0),
  }),
  async run(_input: undefined, { args, logger, signal }) {
    const padding = 'x'.repeat(args.lineBytes);
    const started = performance.now();
    for (let i = 1; i <= args.lines; i++) {
      logger.info(`line ${i}${padding ? ` ${padding}` : ''}`);
      if (args.tickMs > 0 && i % args.perTick === 0 && i < args.lines) {
        const due = started + (i / args.perTick) * args.tickMs;
        await sleep(Math.max(0, due - performance.now()), undefined, { signal });
      }
    }
    return Array.from({ length: args.rows }, (_, i) => i + 1);
  },
});

export const cpuProducer = defineComponent({
  name: 'TestCpuProducer',
  kind: 'PRODUCER',
  description:
    'After `delayMs`, busy for `ms` milliseconds of CPU, `times` times: on a worker thread (offload, the default) or on the event loop, which it gives back between two rounds.',
  argumentsSchema: z.strictObject({
    ms: z.number().int().min(0).max(600_000),
    times: z.number().int().min(1).max(1000).default(1),
    delayMs: z.number().int().min(0).max(60_000).default(0),
    offload: z.boolean().default(true),
  }),
  async run(_input: undefined, { args, services, signal, logger }) {
    if (args.delayMs > 0) await sleep(args.delayMs, undefined, { signal });
    let iterations = 0;
    for (let round = 0; round < args.times; round++) {
      const result = args.offload
        ? await services.workers.run<ReturnType<typeof spin>>(
            new URL('./work/spin.ts', import.meta.url),
            'spin',
            { ms: args.ms },
            signal,
          )
        : spin({ ms: args.ms });
      iterations += result.iterations;
      if (!args.offload) await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    }
    logger.info(`spun ${iterations} times`);
    return [iterations];
  },
});
