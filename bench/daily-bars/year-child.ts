/**
 * Part 2 of the daily-bars benchmark in a process of its own, so its resident size is the
 * server's alone (the fake BaoStock and the LOAD DATA baseline run in the parent): starts the app
 * with two MySQL targets and the SQLite control target, stores the year's calendar, settles, reads
 * its resident size, runs BaoStockDailyBarProducer → DailyBarProcessor → DailyBarStorager over
 * FDA_YEAR_FROM..FDA_YEAR_TO for the fake's default universe, and prints one JSON line: seconds,
 * the CPU seconds the job took, idle and peak resident size (VmHWM), and the storager's result
 * per target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { buildApp } from '../../src/app/build-app.js';
import { loadAppConfig } from '../../src/app/config.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { waitForJob } from '../../test/support/jobs.js';
import { referenceCalendar } from '../../test/support/reference-data.js';
import { processCpuSeconds } from '../process-cpu.js';
import { residentBytes } from '../storage/process-memory.js';

const server = z.object({ host: z.string(), port: z.number(), database: z.string() });
const env = z
  .object({
    FDA_YEAR_FAKE: z
      .string()
      .transform((t) => z.object({ host: z.string(), port: z.number() }).parse(JSON.parse(t))),
    FDA_YEAR_MYSQL: z.string().transform((t) => z.array(server).length(2).parse(JSON.parse(t))),
    FDA_YEAR_FROM: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    FDA_YEAR_TO: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    FDA_YEAR_SESSIONS: z.coerce.number().int().positive(),
  })
  .parse(process.env);

const dir = mkdtempSync(join(tmpdir(), 'fda-bench-year-'));
try {
  writeFileSync(
    join(dir, 'server.json'),
    JSON.stringify({
      port: 0,
      fillEmptyCalendarOnStart: false,
      scheduledJobsDir: 'none',
      log: { level: 'warn' },
    }),
  );
  const [a, b] = env.FDA_YEAR_MYSQL;
  const mysqlTarget = (s: z.infer<typeof server>) => ({
    ...s,
    user: 'root',
    password: '',
    createDatabase: true,
    pool: { queryTimeoutMs: 1_800_000 },
  });
  writeFileSync(
    join(dir, 'storage.json'),
    JSON.stringify({
      control: 'local',
      sqlite: { local: { file: 'control.sqlite' } },
      mysql: { a: mysqlTarget(a!), b: mysqlTarget(b!) },
    }),
  );
  writeFileSync(
    join(dir, 'sources.json'),
    JSON.stringify({
      default: 'fake',
      baostock: { fake: { ...env.FDA_YEAR_FAKE, sessions: env.FDA_YEAR_SESSIONS } },
    }),
  );
  const app = buildApp(loadAppConfig({ FDA_CONFIG_DIR: dir }), {
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  await app.start();
  for (const name of ['a', 'b']) await app.targets.get(name).connect();
  const year = referenceCalendar()
    .filter(([d]) => d >= env.FDA_YEAR_FROM && d <= env.FDA_YEAR_TO)
    .map(([d, flag]) => ({ calendarDate: d, isTradingDay: flag === '1', source: 'bench' }));
  await upsertRows([app.targets.control()], tradeDayTable, year);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = residentBytes('VmRSS');
  const cpuBefore = processCpuSeconds('self');
  const started = performance.now();
  const submitted = await app.executor.submit(
    {
      document: {
        pipeline_structure: {
          bars: {
            component_class_name: 'BaoStockDailyBarProducer',
            pre_component_name: '',
            component_arguments: { from: env.FDA_YEAR_FROM, to: env.FDA_YEAR_TO },
          },
          check: {
            component_class_name: 'DailyBarProcessor',
            pre_component_name: 'bars',
            component_arguments: {},
          },
          store: {
            component_class_name: 'DailyBarStorager',
            pre_component_name: 'check',
            component_arguments: {},
          },
        },
      },
    },
    { timeoutMs: 7_200_000 },
  );
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.problems));
  const job = await waitForJob(app, submitted.job.id, 7_200_000);
  const seconds = (performance.now() - started) / 1000;
  const peak = residentBytes('VmHWM');
  const cpuSeconds = processCpuSeconds('self') - cpuBefore;
  if (job.status !== 'FINISHED') throw new Error(`job ${job.status}: ${job.error}`);
  const store = job.steps.find((s) => s.name === 'store')!;
  const producer = job.steps.find((s) => s.name === 'bars')!;
  await app.stop();
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds,
      idle,
      peak,
      rows: store.rowsIn,
      securities: producer.progress.at(-1)?.total,
      targets: (store.result as { targets: unknown[] }).targets,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
