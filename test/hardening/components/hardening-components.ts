/**
 * The components the hardening suites load: the shared test components, plus ones that misbehave
 * on purpose (throw, leak a rejected promise) and one that produces many trade-day rows, enough
 * for a storage target to be killed in the middle of writing them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineComponent } from '../../../src/components/component.js';
import type { TradeDayRow } from '../../../src/storage/upsert/index.js';

export {
  collectStorager,
  doubleProcessor,
  rowsProducer,
} from '../../components/test-components.js';
export { chattyProducer } from '../../graphql/components/graphql-test-components.js';

const DAY_MS = 86_400_000;

export const tradeDayRowsProducer = defineComponent({
  name: 'TestTradeDayRows',
  kind: 'PRODUCER',
  description:
    'Produces `rows` consecutive calendar days from `from`, every weekday a trading day, shaped as the trade-day storager takes them.',
  argumentsSchema: z.strictObject({
    rows: z.number().int().min(0).max(2_000_000),
    from: z.iso.date().default('1000-01-01'),
    source: z.string().max(32).default('hardening'),
  }),
  run(_input: undefined, { args, logger }): TradeDayRow[] {
    const start = Date.parse(`${args.from}T00:00:00Z`);
    const rows: TradeDayRow[] = new Array<TradeDayRow>(args.rows);
    for (let i = 0; i < args.rows; i++) {
      const day = new Date(start + i * DAY_MS);
      const weekday = day.getUTCDay();
      rows[i] = {
        calendarDate: day.toISOString().slice(0, 10),
        isTradingDay: weekday !== 0 && weekday !== 6,
        source: args.source,
      };
    }
    logger.info(`produced ${args.rows} trade-day rows from ${args.from}`);
    return rows;
  },
});

/** What a throwing component throws: an Error, or the odd values JavaScript lets code throw. */
const THROWN = {
  error: (message: string) => new Error(message),
  string: (message: string) => message,
  null: () => null,
  object: (message: string) => ({ reason: message }),
} as const;

export const throwingComponent = defineComponent({
  name: 'TestThrowing',
  kind: 'PRODUCER',
  description:
    'Throws `message` (as an Error, a bare string, null or a plain object), synchronously or from an awaited promise, after logging a line.',
  argumentsSchema: z.strictObject({
    message: z.string().default('thrown on purpose'),
    thrown: z.enum(['error', 'string', 'null', 'object']).default('error'),
    async: z.boolean().default(false),
  }),
  run(_input: undefined, { args, logger }): unknown {
    logger.info('about to throw');
    const value = THROWN[args.thrown](args.message);
    // Throwing what is not an Error is the point of this component.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (!args.async) throw value;
    return new Promise((_resolve, reject) => setImmediate(() => reject(value as Error)));
  },
});

export const leakyProducer = defineComponent({
  name: 'TestLeakyProducer',
  kind: 'PRODUCER',
  description:
    'Leaves a rejected promise without a handler (or, with `throwInTimer`, throws from a timer) right away or `laterMs` after returning, then produces `rows` numbers as if nothing happened.',
  argumentsSchema: z.strictObject({
    message: z.string().default('leaked on purpose'),
    rows: z.number().int().min(0).default(2),
    laterMs: z.number().int().min(0).optional(),
    throwInTimer: z.boolean().default(false),
    /** Stay running this long after leaking (until the job's signal aborts). */
    holdMs: z.number().int().min(0).default(0),
  }),
  async run(_input: undefined, { args, logger, signal }): Promise<number[]> {
    const leak = () => {
      // The bugs this component stands for: a promise nobody awaits or catches, an exception
      // thrown where no caller can catch it.
      if (args.throwInTimer) throw new Error(args.message);
      void Promise.reject(new Error(args.message));
    };
    if (args.laterMs === undefined) leak();
    else setTimeout(leak, args.laterMs);
    logger.info('left a rejected promise behind');
    if (args.holdMs > 0) await sleep(args.holdMs, undefined, { signal });
    return Array.from({ length: args.rows }, (_, i) => i + 1);
  },
});

export const bigIntResultProducer = defineComponent({
  name: 'TestBigIntResult',
  kind: 'PRODUCER',
  description:
    'Records a result holding a BigInt (as a component summing share volumes would), which JSON cannot hold.',
  argumentsSchema: z.strictObject({}),
  run(_input: undefined, { setResult }): number[] {
    setResult({ n: 1n });
    return [1];
  },
});

export const linesProducer = defineComponent({
  name: 'TestLines',
  kind: 'PRODUCER',
  description:
    'Logs `lines` lines of `bytes` characters each at once, then one of `bigLine` characters.',
  argumentsSchema: z.strictObject({
    lines: z.number().int().min(0).max(100_000).default(0),
    bytes: z.number().int().min(1).max(100_000).default(100),
    bigLine: z.number().int().min(0).max(10_000_000).default(0),
  }),
  run(_input: undefined, { args, logger }): number[] {
    const text = 'x'.repeat(args.bytes);
    for (let i = 1; i <= args.lines; i++) logger.info(`${i} ${text}`);
    // Three bytes a character in UTF-8: a line of the longest length kept is ~96 KB.
    if (args.bigLine > 0) logger.info('中'.repeat(args.bigLine));
    return [args.lines];
  },
});
