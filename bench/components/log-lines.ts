/** A component for the job-log benchmark: logs `lines` lines and reports how long the loop took. */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';

export default {
  name: 'BenchLogLines',
  kind: 'PRODUCER',
  description:
    'Logs `lines` lines through the job logger, a silent pino logger (the call alone) or pino writing JSON to a stream, and returns the loop time.',
  argumentsSchema: z.strictObject({
    lines: z.number().int().min(1),
    logger: z.enum(['job', 'silent', 'pino']),
  }),
  run(
    _input: undefined,
    {
      args,
      logger,
      setResult,
    }: {
      args: { lines: number; logger: 'job' | 'silent' | 'pino' };
      logger: pino.Logger;
      setResult: (r: unknown) => void;
    },
  ) {
    const target =
      args.logger === 'job'
        ? logger
        : args.logger === 'silent'
          ? pino({ level: 'silent' })
          : pino({}, new Writable({ write: (_chunk, _encoding, done) => done() }));
    const started = performance.now();
    for (let i = 1; i <= args.lines; i++)
      target.info(`line ${i}: fetched page ${i % 97} of the calendar`);
    const loopMs = performance.now() - started;
    setResult({ loopMs });
    return [loopMs];
  },
};
