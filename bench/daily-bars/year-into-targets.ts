/**
 * Part 2 of `npm run bench -- daily-bars`: a year of daily bars for the fake's stocks (about
 * 5,100 codes × 242 trading days of 2023, ~1.2 M rows) fetched from the fake BaoStock (no added
 * delay) and streamed by the real job into two MySQL databases (each on a MariaDB server of its
 * own, so each server's `Questions` counter is one target's statements) and the SQLite control
 * target, in a server process of its own (year-child.ts). Each target's rows/s is its rows over
 * the time it spent writing (the storager's per-target duration, summed over batches), against the
 * server's own limit for the same rows, timed the same way once the job is done (all three targets
 * written at once, each timed to its own end): one LOAD DATA into an empty table for MySQL, one
 * prepared plain INSERT in one transaction for SQLite. The CPU seconds of every process (job,
 * fake, both servers) are read from /proc for both phases, so the figures say whether the cores,
 * rather than the writing path, set the pace. FDA_BENCH_CHILD_FLAGS passes node flags to
 * the child (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pino from 'pino';
import type { StreamTargetResult } from '../../src/components/store-rows.js';
import { SqliteTarget } from '../../src/storage/sqlite-target.js';
import type { DailyBarRow } from '../../src/storage/upsert/index.js';
import { capturedUniverse, createFakeMarket } from '../../test/support/baostock-fake-market.js';
import { startFakeBaoStock } from '../../test/support/baostock-fake-server.js';
import { startMariadbInstance, type MariadbInstance } from '../../test/support/mariadb-instance.js';
import { referenceCalendar } from '../../test/support/reference-data.js';
import type { BenchContext } from '../bench-module.js';
import { processCpuSeconds } from '../process-cpu.js';
import { barTarget, plainLoadData } from '../storage/daily-bar-bench.js';
import { plainSqliteInsert } from '../storage/sqlite-bench.js';

const FROM = process.env.FDA_BENCH_YEAR_FROM ?? '2023-01-01';
const TO = process.env.FDA_BENCH_YEAR_TO ?? '2023-12-31';
const SESSIONS = 8;
const RATE_GOAL = 0.8;
const RSS_GOAL_MB = 300;
const CHILD = fileURLToPath(new URL('./year-child.ts', import.meta.url));

interface ChildOutcome {
  seconds: number;
  cpuSeconds: number;
  idle: number;
  peak: number;
  rows: number;
  securities: number;
  targets: StreamTargetResult[];
}

export interface YearOutcome {
  markdown: string[];
  missed: string[];
}

export async function benchYearIntoTargets({ log }: BenchContext): Promise<YearOutcome> {
  const tradingDays = referenceCalendar()
    .filter(([, flag]) => flag === '1')
    .map(([date]) => date);
  const fake = await startFakeBaoStock({
    market: createFakeMarket({ universe: capturedUniverse(), tradingDays }),
  });
  const servers = await Promise.all(
    [0, 1].map(() => startMariadbInstance({ serverArgs: ['--innodb-buffer-pool-size=512M'] })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'fda-bench-year-limit-'));
  try {
    // Migrated here, so the child's own statements are what the servers count while it runs.
    for (const [i, server] of servers.entries()) {
      const target = barTarget(server, server.port, `year_${i}`, 'auto');
      await target.connect();
      await target.close();
    }
    const before = await Promise.all(servers.map((s) => s.status('Questions')));
    log(
      `\na year of daily bars (${FROM}..${TO}) into two MySQL servers and SQLite, in a process of its own …`,
    );
    const cpuBefore = cpuOfRun(servers);
    const child = await runChild(fake, servers);
    const jobCpu = spentSince(cpuBefore, cpuOfRun(servers), child.cpuSeconds);
    // Less the one SHOW STATUS of `before` each server counted.
    const questions = (await Promise.all(servers.map((s) => s.status('Questions')))).map(
      (q, i) => q - before[i]! - 1,
    );
    const growthMb = (child.peak - child.idle) / 1024 ** 2;
    log(
      `  ${child.rows.toLocaleString('en-US')} rows of ${child.securities} securities in ${child.seconds.toFixed(1)} s, RSS growth ${growthMb.toFixed(0)} MB`,
    );

    const rows = await storedRows(servers[0]!, 'year_0');
    if (rows.length !== child.rows) throw new Error(`stored ${rows.length} of ${child.rows} rows`);
    // Timed the way the job writes: the same rows into all three targets at once, each by its
    // server's fastest path, each timed to its own end.
    const limitCpuBefore = cpuOfRun(servers);
    const limitPhaseStarted = performance.now();
    const limits = await Promise.all([
      ...servers.map((server) => loadDataInto(server, rows)),
      plainInsertInto(join(dir, 'limit.sqlite'), rows),
    ]);
    const [loadDataA, loadDataB, sqliteMs] = limits as [number, number, number];
    // The limits run in this process: its own CPU is theirs (the client side of LOAD DATA, SQLite).
    const limitCpu = spentSince(limitCpuBefore, cpuOfRun(servers), 0);
    const cpu = cpuMarkdown(
      jobCpu,
      { job: child.seconds, limits: (performance.now() - limitPhaseStarted) / 1000 },
      limitCpu,
      Math.max(...limits) / 1000,
      log,
    );
    log(
      `  limits, all three at once: LOAD DATA ${(loadDataA / 1000).toFixed(2)} s and ${(loadDataB / 1000).toFixed(2)} s, SQLite plain INSERT ${(sqliteMs / 1000).toFixed(2)} s`,
    );
    const outcome = report(
      child,
      questions,
      growthMb,
      { a: loadDataA, b: loadDataB, local: sqliteMs },
      log,
    );
    return { ...outcome, markdown: [...outcome.markdown, ...cpu] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(servers.map((s) => s.destroy()));
    await fake.close();
  }
}

function report(
  child: ChildOutcome,
  questions: number[],
  growthMb: number,
  limits: Record<string, number>,
  log: (line: string) => void,
): YearOutcome {
  const goals: Array<[string, string, boolean]> = [];
  const lines = child.targets.map((t) => {
    const written = t.inserted + t.updated + t.unchanged;
    const limitMs = limits[t.target]!;
    const ratio = limitMs / t.durationMs;
    const server = t.dialect === 'mysql' ? questions[t.target === 'a' ? 0 : 1] : undefined;
    const limitName = t.dialect === 'mysql' ? 'LOAD DATA' : 'plain INSERT';
    goals.push([
      `${t.target} (${t.dialect}): rows/s ≥ ${RATE_GOAL} × ${limitName}`,
      ratio.toFixed(2),
      t.ok && ratio >= RATE_GOAL,
    ]);
    log(
      `  ${t.target} (${t.dialect}): ${written} rows, ${t.batches} batches, ${(t.durationMs / 1000).toFixed(2)} s writing, ×${ratio.toFixed(2)} of ${limitName}, ${t.statements} statements${server === undefined ? '' : ` (server: ${server})`}`,
    );
    return `| ${t.target} | ${t.dialect} | ${written.toLocaleString('en-US')} | ${t.batches} | ${(t.durationMs / 1000).toFixed(2)} s | ${Math.round(written / (t.durationMs / 1000)).toLocaleString('en-US')} | ${limitName} ${(limitMs / 1000).toFixed(2)} s | ${ratio.toFixed(2)} | ${t.statements} | ${server ?? '–'} |`;
  });
  goals.push([
    `RSS growth < ${RSS_GOAL_MB} MB`,
    `${growthMb.toFixed(0)} MB`,
    growthMb < RSS_GOAL_MB,
  ]);
  const markdown = [
    '',
    `### A year of bars into two MySQL databases and SQLite`,
    '',
    `${child.rows.toLocaleString('en-US')} bars of ${child.securities.toLocaleString('en-US')} stocks, ${FROM}..${TO}, from the fake BaoStock (no added delay, ${SESSIONS} sessions) through BaoStockDailyBarProducer → DailyBarProcessor → DailyBarStorager (batches of 5,000 rows, the default) in a server process of its own: ${child.seconds.toFixed(1)} s in all. ` +
      'Targets `a` and `b` are databases on two MariaDB servers of the benchmark’s own (`--innodb-buffer-pool-size=512M`); `local` is the SQLite control file. ' +
      'A target’s time is what it spent writing, summed over batches (targets are written at once, so they share the CPU with each other and with the fetch); its limit is the same rows written by the server’s own fastest path once the job is done, timed the same way (all three targets at once, each to its own end): one LOAD DATA into an empty table, or one prepared plain INSERT in one transaction. ' +
      'Statements: ours, and the server’s `Questions` over the whole run (connection set-up included). RSS growth: the process’s peak (VmHWM) minus its resident size once started.',
    '',
    '| goal | measured | met |',
    '|---|---|---|',
    ...goals.map(([what, value, met]) => `| ${what} | ${value} | ${met ? 'yes' : '**no**'} |`),
    '',
    '| target | dialect | rows | batches | writing | rows/s | limit | × limit | statements | server Questions |',
    '|---|---|---:|---:|---:|---:|---|---:|---:|---:|',
    ...lines,
  ];
  return {
    markdown,
    missed: goals.filter(([, , met]) => !met).map(([what, value]) => `${what}: got ${value}`),
  };
}

/** CPU seconds so far of this process (the fake BaoStock, or the limits' client) and each server. */
function cpuOfRun(servers: readonly MariadbInstance[]): { self: number; servers: number[] } {
  return {
    self: processCpuSeconds('self'),
    servers: servers.map((s) => processCpuSeconds(s.pid!)),
  };
}

interface CpuSpent {
  /** The job's own process (0 for the limits, which run here). */
  job: number;
  /** This process: the fake BaoStock during the job, the limits' clients after it. */
  self: number;
  servers: number[];
}

function spentSince(
  before: ReturnType<typeof cpuOfRun>,
  after: ReturnType<typeof cpuOfRun>,
  job: number,
): CpuSpent {
  return {
    job,
    self: after.self - before.self,
    servers: after.servers.map((s, i) => s - before.servers[i]!),
  };
}

/**
 * Where the cores went, during the job and during the limits: on a machine of few cores the
 * job's fetch (the fake making and compressing replies, our decoding and checking) competes with
 * the servers it writes to, and the sum of CPU over the cores is a floor on the job's time that no
 * writing path can go under.
 */
function cpuMarkdown(
  job: CpuSpent,
  /** Each phase's wall time (the limits' includes connecting and migrating). */
  wall: { job: number; limits: number },
  limits: CpuSpent,
  /** The slowest limit, timed as the targets are. */
  limitSeconds: number,
  log: (line: string) => void,
): string[] {
  const cores = availableParallelism();
  const total = (c: CpuSpent) => c.job + c.self + c.servers.reduce((a, b) => a + b, 0);
  const row = (what: string, c: CpuSpent, seconds: number) =>
    `| ${what} | ${seconds.toFixed(1)} s | ${c.job.toFixed(1)} s | ${c.self.toFixed(1)} s | ${c.servers.map((s) => `${s.toFixed(1)} s`).join(' | ')} | ${total(c).toFixed(1)} s | ${((100 * total(c)) / (seconds * cores)).toFixed(0)}% |`;
  const floor = total(job) / cores;
  log(
    `  CPU during the job: job ${job.job.toFixed(1)} s, fake ${job.self.toFixed(1)} s, MariaDB ${job.servers.map((s) => s.toFixed(1)).join(' s and ')} s: ${total(job).toFixed(1)} s on ${cores} cores, a floor of ${floor.toFixed(1)} s on the job's time; the limits used ${total(limits).toFixed(1)} s in ${wall.limits.toFixed(1)} s`,
  );
  return [
    '',
    `CPU seconds (user + system, from /proc) while the job ran and while the limits ran, on ${cores} cores. The job needs ${total(job).toFixed(1)} CPU seconds in all, so on this machine it cannot take less than ${floor.toFixed(1)} s, whatever the writing path. Its writes keep pace with its fetch (each target writes for about as long as the job runs), so a target reaches at most ${(limitSeconds / floor).toFixed(2)} × the slowest limit (${limitSeconds.toFixed(1)} s, which had the cores to itself).`,
    '',
    '| phase | wall | job process | this process (fake BaoStock / limits’ clients) | MariaDB a | MariaDB b | total | of the machine |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('the job', job, wall.job),
    row('the limits (connecting and migrating included)', limits, wall.limits),
  ];
}

async function runChild(
  fake: { host: string; port: number },
  servers: readonly MariadbInstance[],
): Promise<ChildOutcome> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...(process.env.FDA_BENCH_CHILD_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      CHILD,
    ],
    {
      env: {
        ...process.env,
        FDA_YEAR_FAKE: JSON.stringify({ host: fake.host, port: fake.port }),
        FDA_YEAR_MYSQL: JSON.stringify(
          servers.map((s, i) => ({ host: s.host, port: s.port, database: `year_${i}` })),
        ),
        FDA_YEAR_FROM: FROM,
        FDA_YEAR_TO: TO,
        FDA_YEAR_SESSIONS: String(SESSIONS),
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildOutcome;
}

async function loadDataInto(
  server: MariadbInstance,
  rows: readonly DailyBarRow[],
): Promise<number> {
  const target = barTarget(server, server.port, 'year_limit', 'on');
  await target.connect();
  try {
    const started = performance.now();
    await plainLoadData(target, rows);
    return performance.now() - started;
  } finally {
    await target.close();
  }
}

async function plainInsertInto(file: string, rows: readonly DailyBarRow[]): Promise<number> {
  const target = new SqliteTarget(
    { dialect: 'sqlite', name: 'limit', file },
    pino({ level: 'silent' }),
  );
  await target.connect();
  try {
    // After the LOAD DATA statements are on their way, as the job's SQLite write follows its MySQL ones.
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    await plainSqliteInsert(target, rows);
    return performance.now() - started;
  } finally {
    await target.close();
  }
}

/** The stored rows in the storage row's shape, for the limits to write the very same values. */
async function storedRows(server: MariadbInstance, database: string): Promise<DailyBarRow[]> {
  const c = await mysql.createConnection({
    host: server.host,
    port: server.port,
    user: 'root',
    database,
  });
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'SELECT code, DATE_FORMAT(trade_date, "%Y-%m-%d") AS tradeDate, open, high, low, close, preclose, volume, amount, turn, pct_chg AS pctChg, trade_status AS tradeStatus, is_st AS isSt FROM daily_bar ORDER BY code, trade_date',
    );
    return rows.map((r) => ({ ...(r as DailyBarRow), isSt: Number(r.isSt) === 1 }));
  } finally {
    await c.end();
  }
}
