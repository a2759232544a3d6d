/** Components for the dashboard's browser tests. Loaded as user components from this folder. */
import { z } from 'zod';
import { sleep } from '../../../src/abort.js';
import { defineComponent } from '../../../src/components/component.js';

export const paceProducer = defineComponent({
  name: 'TestPacedLines',
  kind: 'PRODUCER',
  description:
    'Logs `lines` lines, one every `everyMs`, every third an ERROR and the others INFO, then waits `holdMs` before producing `rows` rows.',
  argumentsSchema: z.strictObject({
    lines: z.number().int().min(0).default(6),
    everyMs: z.number().int().min(0).default(300),
    holdMs: z.number().int().min(0).default(0),
    rows: z.number().int().min(0).default(5),
  }),
  async run(_input: undefined, { args, logger, signal }) {
    for (let i = 1; i <= args.lines; i += 1) {
      if (i % 3 === 0) logger.error(`problem ${i}`);
      else logger.info(`line ${i}`);
      await sleep(args.everyMs, signal);
    }
    await sleep(args.holdMs, signal);
    return Array.from({ length: args.rows }, (_, i) => i + 1);
  },
});

export const countStorager = defineComponent({
  name: 'TestCountStorager',
  kind: 'STORAGER',
  description: 'Reports its rows as written to a target named "memory".',
  argumentsSchema: z.strictObject({}),
  run(input: unknown[], { reportProgress, setResult }) {
    reportProgress({ done: input.length, total: input.length, label: 'memory' });
    setResult({
      targets: [
        {
          target: 'memory',
          dialect: 'sqlite',
          ok: true,
          inserted: input.length,
          updated: 0,
          unchanged: 0,
          statements: 1,
          durationMs: 1,
          attempts: 1,
          error: null,
        },
      ],
    });
    return input;
  },
});
