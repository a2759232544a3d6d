/**
 * Issue 2: a job writing 100,000 log lines must not be slowed by more than the batching costs.
 * Measures, in one run, the component's loop of 100,000 `logger.info` calls (a) on a silent
 * logger (the call alone, the baseline), (b) on pino writing JSON to a stream (what logging
 * ordinarily costs), (c) inside a job, where every line is numbered, buffered, stored in batches
 * and published; and the time until the last line is stored (the job ends only after its lines
 * are flushed). Ratios are against the baseline of the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../src/app/build-app.js';
import { loadAppConfig } from '../src/app/config.js';
import type { Job } from '../src/jobs/job.js';
import { waitForJob } from '../test/support/jobs.js';
import type { BenchModule } from './bench-module.js';

const LINES = 100_000;
const ROUNDS = 3;

type LoggerKind = 'job' | 'silent' | 'pino';

async function runJob(
  app: App,
  logger: LoggerKind,
): Promise<{ loopMs: number; totalMs: number; job: Job }> {
  const started = performance.now();
  const submitted = await app.executor.submit({
    steps: [
      {
        name: 'log',
        componentClassName: 'BenchLogLines',
        preComponentName: '',
        componentArguments: { lines: LINES, logger },
      },
    ],
  });
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.problems));
  const job = await waitForJob(app, submitted.job.id, 600_000);
  const totalMs = performance.now() - started;
  if (job.status !== 'FINISHED') throw new Error(`bench job ${job.status}: ${job.error}`);
  return { loopMs: (job.steps[0]!.result as { loopMs: number }).loopMs, totalMs, job };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const jobLogsBench: BenchModule = {
  name: 'job-logs',
  description: `A job logging ${LINES.toLocaleString('en')} lines, against the same loop on a silent logger.`,
  async run({ log }) {
    const dir = mkdtempSync(join(tmpdir(), 'fda-bench-logs-'));
    writeFileSync(
      join(dir, 'server.json'),
      JSON.stringify({
        port: 0,
        componentsDir: fileURLToPath(new URL('./components', import.meta.url)),
        fillEmptyCalendarOnStart: false,
        log: { level: 'info' },
      }),
    );
    writeFileSync(
      join(dir, 'storage.json'),
      JSON.stringify({ sqlite: { local: { file: 'control.sqlite' } } }),
    );
    const app = buildApp(loadAppConfig({ FDA_CONFIG_DIR: dir }), {
      logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
    });
    await app.start();
    try {
      for (const kind of ['silent', 'pino', 'job'] as const) await runJob(app, kind); // warm-up
      const silent: number[] = [];
      const plain: number[] = [];
      const captured: number[] = [];
      const totals: number[] = [];
      let complete = true;
      for (let round = 0; round < ROUNDS; round++) {
        silent.push((await runJob(app, 'silent')).loopMs);
        plain.push((await runJob(app, 'pino')).loopMs);
        const run = await runJob(app, 'job');
        captured.push(run.loopMs);
        totals.push(run.totalMs);
        complete &&=
          run.job.logCount >= LINES &&
          (await app.store.lastLogSeq(run.job.id)) === run.job.logCount;
      }
      const base = median(silent);
      const pinoMs = median(plain);
      const loop = median(captured);
      const total = median(totals);
      const batches = Math.ceil(LINES / app.config.server.log.batchLines);
      const rows = [
        `| silent logger (baseline: the call alone) | ${base.toFixed(0)} ms | 1.00 |`,
        `| pino writing JSON lines to a stream (ordinary logging) | ${pinoMs.toFixed(0)} ms | ${(pinoMs / base).toFixed(2)} |`,
        `| inside a job: numbered, buffered, batched | ${loop.toFixed(0)} ms | ${(loop / base).toFixed(2)} |`,
        `| job submitted → every line stored, job FINISHED | ${total.toFixed(0)} ms | ${(total / base).toFixed(2)} |`,
      ];
      const markdown = [
        `Median of ${ROUNDS} rounds, ${LINES.toLocaleString('en')} lines, SQLite control store, about ${batches} insert batches of ${app.config.server.log.batchLines} lines.`,
        '',
        '| what | time | × baseline |',
        '| --- | ---: | ---: |',
        ...rows,
        '',
        `The loop in a job costs ${(loop / pinoMs).toFixed(2)} × ordinary pino logging; storing runs beside it in batches. Lines stored per second (whole job): ${Math.round(LINES / (total / 1000)).toLocaleString('en')}; every line stored: ${complete ? 'yes' : 'NO'}.`,
      ].join('\n');
      log(markdown);
      return { markdown, missed: complete ? [] : ['not every line was stored'] };
    } finally {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
