/**
 * One form of the streaming benchmark in a process of its own (so one form's heap never inflates
 * the other's resident size): starts the app on the given MySQL database, settles, reads its
 * resident size, runs producer → processor → storager over ROWS rows as FORM, and prints one JSON
 * line: rows, seconds, idle resident size and the peak (the kernel's high-water mark, VmHWM, so a
 * peak between two samples is not missed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app/build-app.js';
import { loadAppConfig } from '../../src/app/config.js';
import { waitForJob } from '../../test/support/jobs.js';
import { residentBytes } from '../storage/process-memory.js';

const form = process.env.FDA_STREAM_FORM as 'array' | 'stream';
const rows = Number(process.env.FDA_STREAM_ROWS);
const batchSize = Number(process.env.FDA_STREAM_BATCH);
const mysqlTarget = JSON.parse(process.env.FDA_STREAM_MYSQL ?? '{}') as Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'fda-bench-stream-'));
try {
  writeFileSync(
    join(dir, 'server.json'),
    JSON.stringify({
      port: 0,
      fillEmptyCalendarOnStart: false,
      scheduledJobsDir: 'none',
      componentsDir: fileURLToPath(new URL('../components', import.meta.url)),
      log: { level: 'warn' },
    }),
  );
  writeFileSync(
    join(dir, 'storage.json'),
    JSON.stringify({
      control: 'local',
      sqlite: { local: { file: 'control.sqlite' } },
      mysql: { bench: mysqlTarget },
    }),
  );
  const app = buildApp(loadAppConfig({ FDA_CONFIG_DIR: dir }), {
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  await app.start();
  // The target is connected and migrated before the idle reading, so it is not counted as growth.
  await app.targets.get('bench').connect();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = residentBytes('VmRSS');
  const started = performance.now();
  const submitted = await app.executor.submit({
    steps: [
      {
        name: 'producer',
        componentClassName: 'BenchRowsProducer',
        preComponentName: '',
        componentArguments: { rows, batchSize, form },
      },
      {
        name: 'processor',
        componentClassName: 'BenchRowsProcessor',
        preComponentName: 'producer',
        componentArguments: {},
      },
      {
        name: 'storager',
        componentClassName: 'BenchRowsStorager',
        preComponentName: 'processor',
        componentArguments: { targets: ['bench'] },
      },
    ],
  });
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.problems));
  const job = await waitForJob(app, submitted.job.id, 3_600_000);
  const seconds = (performance.now() - started) / 1000;
  const peak = residentBytes('VmHWM');
  if (job.status !== 'FINISHED') throw new Error(`job ${job.status}: ${job.error}`);
  const storager = job.steps[2]!;
  const [target] = (
    storager.result as {
      targets: Array<{ inserted: number; updated: number; unchanged: number; statements: number }>;
    }
  ).targets;
  await app.stop();
  console.log(
    JSON.stringify({
      form,
      rows: storager.rowsIn,
      seconds,
      idle,
      peak,
      written: target!.inserted + target!.updated + target!.unchanged,
      statements: target!.statements,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
