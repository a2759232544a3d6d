/**
 * Issue 4: the whole default trade-day pipeline (offline source, its whole covered range, about
 * 8,400 calendar days) into two MySQL databases and SQLite at once, as a real job; against writing
 * the same rows row by row (the original system: one statement per row, one target after another,
 * each target committed once at the end)
 * as the baseline of the same run. MySQL statements are counted by the server (its `Questions`
 * counter) on a MariaDB of the benchmark's own, so no other traffic is counted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { buildApp } from '../src/app/build-app.js';
import { loadAppConfig } from '../src/app/config.js';
import type { Job } from '../src/jobs/job.js';
import { waitForJob } from '../test/support/jobs.js';
import { createOfflineCalendar } from '../src/sources/offline-calendar/index.js';
import type { TargetWriteResult, TradeDayRow } from '../src/storage/upsert/index.js';
import { startMariadbInstance } from '../test/support/mariadb-instance.js';
import type { BenchModule } from './bench-module.js';

const MYSQL_UPSERT_ROW =
  'INSERT INTO trade_day (calendar_date, is_trading_day, source, updated_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE ' +
  'is_trading_day = VALUES(is_trading_day), source = VALUES(source), updated_at = VALUES(updated_at)';
const SQLITE_UPSERT_ROW =
  'INSERT INTO trade_day (calendar_date, is_trading_day, source, updated_at) VALUES (?, ?, ?, ?) ' +
  'ON CONFLICT (calendar_date) DO UPDATE SET is_trading_day = excluded.is_trading_day, source = excluded.source, updated_at = excluded.updated_at';

export const tradeDaysPipelineBench: BenchModule = {
  name: 'trade-days',
  description:
    'The default trade-day job (offline calendar, whole covered range) into two MySQL databases and SQLite, against row by row.',
  async run({ log }) {
    const instance = await startMariadbInstance();
    const dir = mkdtempSync(join(tmpdir(), 'fda-bench-pipeline-'));
    const monitor = await mysql.createConnection({
      host: instance.host,
      port: instance.port,
      user: 'root',
    });
    const questions = async () =>
      Number(
        (await monitor.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Questions'"))[0][0]!
          .Value,
      );
    try {
      const mysqlTarget = (database: string) => ({
        host: instance.host,
        port: instance.port,
        user: 'root',
        password: '',
        database,
      });
      writeFileSync(
        join(dir, 'server.json'),
        JSON.stringify({
          port: 0,
          fillEmptyCalendarOnStart: false,
          scheduledJobsDir: 'none',
          log: { level: 'warn' },
        }),
      );
      writeFileSync(
        join(dir, 'storage.json'),
        JSON.stringify({
          control: 'local',
          sqlite: { local: { file: 'pipeline.sqlite' } },
          mysql: { mysql_a: mysqlTarget('bench_a'), mysql_b: mysqlTarget('bench_b') },
        }),
      );
      const app = buildApp(loadAppConfig({ FDA_CONFIG_DIR: dir }), {
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      });
      await app.start();
      const runJob = async (): Promise<{ ms: number; job: Job; statements: number }> => {
        const before = await questions();
        const started = performance.now();
        const submitted = await app.executor.submit({
          steps: [
            {
              name: 'producer_0',
              componentClassName: 'BaoStockTradeDayProducer',
              preComponentName: '',
              componentArguments: { source: 'offline', fullRefresh: true },
            },
            {
              name: 'processor_0',
              componentClassName: 'BaoStockTradeDayProcessor',
              preComponentName: 'producer_0',
              componentArguments: {},
            },
            {
              name: 'storager_0',
              componentClassName: 'BaoStockTradeDayStorager',
              preComponentName: 'processor_0',
              componentArguments: {},
            },
          ],
        });
        if (!submitted.ok) throw new Error(JSON.stringify(submitted.problems));
        const job = await waitForJob(app, submitted.job.id, 600_000);
        const ms = performance.now() - started;
        if (job.status !== 'FINISHED') throw new Error(`pipeline job ${job.status}: ${job.error}`);
        return { ms, job, statements: (await questions()) - before - 1 };
      };
      const first = await runJob();
      const again = await runJob();
      await app.stop();

      // The baseline: the same rows, one statement each, one target after the other, each target
      // in one transaction committed at the end (as the original system's final code did).
      const covered = createOfflineCalendar().coveredRange;
      const rows: TradeDayRow[] = createOfflineCalendar()
        .days(covered.from, covered.to)
        .map((d) => ({
          calendarDate: d.calendarDate,
          isTradingDay: d.isTradingDay,
          source: 'offline',
        }));
      const baselineStarted = performance.now();
      const perTarget: Array<[string, number]> = [];
      for (const database of ['baseline_a', 'baseline_b']) {
        await monitor.query(`CREATE DATABASE ${database}`);
        await monitor.query(`CREATE TABLE ${database}.trade_day LIKE bench_a.trade_day`);
        const connection = await mysql.createConnection({ ...mysqlTarget(database) });
        const started = performance.now();
        const now = new Date();
        await connection.query('BEGIN');
        for (const r of rows)
          await connection.query(MYSQL_UPSERT_ROW, [r.calendarDate, r.isTradingDay, r.source, now]);
        await connection.query('COMMIT');
        perTarget.push([`${database} (MySQL)`, performance.now() - started]);
        await connection.end();
      }
      const sqlite = new Database(join(dir, 'pipeline.sqlite'));
      sqlite.exec('CREATE TABLE baseline_trade_day AS SELECT * FROM trade_day WHERE 0');
      sqlite.exec('CREATE UNIQUE INDEX baseline_key ON baseline_trade_day (calendar_date)');
      const insert = sqlite.prepare(SQLITE_UPSERT_ROW.replace('trade_day', 'baseline_trade_day'));
      const sqliteStarted = performance.now();
      sqlite.transaction(() => {
        for (const r of rows)
          insert.run(r.calendarDate, r.isTradingDay ? 1 : 0, r.source, Date.now());
      })();
      perTarget.push(['SQLite', performance.now() - sqliteStarted]);
      sqlite.close();
      const baselineMs = performance.now() - baselineStarted;

      const results = (job: Job) =>
        (job.steps[2]!.result as { targets: TargetWriteResult[] }).targets;
      const table = (label: string, run: { ms: number; job: Job; statements: number }) =>
        results(run.job).map(
          (r) =>
            `| ${label} | ${r.target} | ${r.inserted} / ${r.updated} / ${r.unchanged} | ${r.statements} | ${Math.round(r.durationMs)} ms |`,
        );
      const markdown = [
        `${rows.length.toLocaleString('en')} calendar days (${covered.from}..${covered.to}), three targets: SQLite and two MySQL databases on one MariaDB 10.11 of the benchmark's own.`,
        '',
        '| run | target | inserted / updated / unchanged | statements (ours) | target time |',
        '| --- | --- | --- | ---: | ---: |',
        ...table('first run (empty tables)', first),
        ...table('re-run (same rows)', again),
        '',
        `| | wall time | MySQL statements (server count, both databases) | × the pipeline |`,
        '| --- | ---: | ---: | ---: |',
        `| the pipeline job, all targets at once, first run | ${first.ms.toFixed(0)} ms | ${first.statements} | 1.00 |`,
        `| the pipeline job, re-run | ${again.ms.toFixed(0)} ms | ${again.statements} | ${(again.ms / first.ms).toFixed(2)} |`,
        `| row by row, one target after another, one transaction each (baseline) | ${baselineMs.toFixed(0)} ms | ${rows.length * 2 + 4} | ${(baselineMs / first.ms).toFixed(1)} |`,
        '',
        `Row by row per target: ${perTarget.map(([t, ms]) => `${t} ${ms.toFixed(0)} ms`).join(', ')}. The job's time includes producing and checking the rows, and storing the job and its log lines.`,
      ].join('\n');
      log(markdown);
      const mysqlStatements = results(first.job)
        .filter((r) => r.dialect === 'mysql')
        .map((r) => r.statements);
      return {
        markdown,
        missed: mysqlStatements.every((n) => n <= 4)
          ? []
          : [
              `MySQL targets took ${mysqlStatements.join(', ')} statements (expected at most 4 each)`,
            ],
      };
    } finally {
      await monitor.end();
      await instance.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
