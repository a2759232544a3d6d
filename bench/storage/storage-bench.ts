/**
 * Trade-day writes to MariaDB: row by row (the original system), Drizzle's builder, our upsert
 * and LOAD DATA (the server's bulk path), at 981, 100,000 and 1,000,000 rows, into an empty table
 * and again over the same rows; locally and through a proxy that delays each direction by 10 ms.
 * Every figure is against a MariaDB of the benchmark's own, so its status counters see only us.
 */
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import pino from 'pino';
import { Secret } from '../../src/config/secret.js';
import { MysqlTarget } from '../../src/storage/mysql-target.js';
import { tradeDayTable, upsertRows, type TradeDayRow } from '../../src/storage/upsert/index.js';
import { startMariadbInstance, type MariadbInstance } from '../../test/support/mariadb-instance.js';
import type { BenchContext, BenchModule, BenchOutcome } from '../bench-module.js';
import { benchDailyBars } from './daily-bar-bench.js';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';
import { benchSqliteBars } from './sqlite-bench.js';
import {
  drizzleBuilder,
  loadData,
  ourUpsert,
  rowByRow,
  tsvStream,
  type WriteEnv,
  type WriteMethod,
} from './write-methods.js';

/** `FDA_BENCH_SIZES=981,10000` for a quick look; targets whose figures are missing are then skipped. */
const SIZES = process.env.FDA_BENCH_SIZES
  ? process.env.FDA_BENCH_SIZES.split(',').map(Number)
  : [981, 100_000, 1_000_000];
const DELAY_MS = 10;
/**
 * Row by row is timed on the first rows and extrapolated beyond this (1,000,000 rows through the
 * proxy would take 6 hours); through the proxy the 981-row case, the original one, runs whole.
 */
const rowByRowSample = (path: PathName, rows: number) =>
  path === 'local' ? Math.min(rows, 10_000) : rows <= 981 ? rows : 250;
/** Small writes are repeated and the median kept, unless one run already takes a second. */
const repetitions = (rows: number) => (rows <= 1000 ? 5 : 1);
const METHODS = [loadData, rowByRow, drizzleBuilder, ourUpsert];

type PathName = 'local' | 'proxy';

interface Measurement {
  path: PathName;
  rows: number;
  method: WriteMethod;
  phase: 'first write' | 're-write';
  /** Rows actually written (fewer than `rows` when sampled). */
  measuredRows: number;
  ms: number;
  statements: number;
  roundTrips: number | null;
}

export const storageBench: BenchModule = {
  name: 'storage',
  description:
    'Trade-day upserts into MariaDB: row by row, Drizzle builder, our upsert and LOAD DATA, locally and 10 ms away; then daily bars through the bulk-load path against multi-row statements.',
  run,
};

async function run(context: BenchContext): Promise<BenchOutcome> {
  const instance = await startMariadbInstance({ serverArgs: ['--innodb-buffer-pool-size=512M'] });
  const proxy = await startDelayProxy(instance.host, instance.port, DELAY_MS);
  const monitor = await mysql.createConnection({
    host: instance.host,
    port: instance.port,
    user: 'root',
  });
  const closers: Array<() => Promise<void>> = [];
  try {
    const [versionRows] = await monitor.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    const serverVersion = String(versionRows[0]!.v);
    const questions = async () => {
      const [rows] = await monitor.query<mysql.RowDataPacket[]>(
        "SHOW GLOBAL STATUS LIKE 'Questions'",
      );
      return Number(rows[0]!.Value);
    };
    const q0 = await questions();
    const readingCost = (await questions()) - q0;

    const measurements: Measurement[] = [];
    for (const path of ['local', 'proxy'] as const) {
      const env = await openEnv(
        instance,
        path === 'local' ? instance.port : proxy.port,
        `bench_${path}`,
      );
      closers.push(env.close);
      for (const rows of SIZES) {
        const data = tradeDayRows(rows);
        for (const method of METHODS) {
          for (const phase of method.firstWriteOnly
            ? (['first write'] as const)
            : (['first write', 're-write'] as const)) {
            const sample = method === rowByRow ? rowByRowSample(path, rows) : rows;
            const written = sample < rows ? data.slice(0, sample) : data;
            const timings: Array<{ ms: number; statements: number; roundTrips: number }> = [];
            for (let i = 0; i < repetitions(rows); i++) {
              if (phase === 'first write') await env.truncate();
              else if (i === 0) await env.fill(written);
              const before = await questions();
              proxy.resetRoundTrips();
              const started = performance.now();
              await method.write(env, written, new Date());
              const ms = performance.now() - started;
              timings.push({
                ms,
                statements: (await questions()) - before - readingCost,
                roundTrips: proxy.roundTrips(),
              });
              if (ms > 1000) break;
            }
            timings.sort((a, b) => a.ms - b.ms);
            const median = timings[Math.floor(timings.length / 2)]!;
            const m: Measurement = {
              path,
              rows,
              method,
              phase,
              measuredRows: written.length,
              ...median,
              roundTrips: path === 'proxy' ? median.roundTrips : null,
            };
            measurements.push(m);
            context.log(describe(m, measurements));
          }
        }
      }
    }

    context.log('\ntwo targets through the proxy, concurrently and one after the other:');
    const concurrency = await measureConcurrency(instance, proxy, closers, context);
    const bars = await benchDailyBars(instance, proxy, context);
    const sqlite = await benchSqliteBars(context);
    const outcome = report(serverVersion, measurements, concurrency);
    return {
      markdown: [outcome.markdown, ...bars.markdown, ...sqlite.markdown].join('\n'),
      missed: [...outcome.missed, ...bars.missed, ...sqlite.missed],
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await monitor.end();
    await proxy.close();
    await instance.destroy();
  }
}

interface Env extends WriteEnv {
  truncate: () => Promise<void>;
  /** Makes the table hold exactly these rows (for a re-write). */
  fill: (rows: readonly TradeDayRow[]) => Promise<void>;
  close: () => Promise<void>;
}

async function openEnv(instance: MariadbInstance, port: number, database: string): Promise<Env> {
  const target = new MysqlTarget(
    {
      dialect: 'mysql',
      name: database,
      host: instance.host,
      port,
      user: instance.user,
      password: new Secret(instance.password),
      database,
      charset: 'utf8mb4',
      createDatabase: true,
      pool: { connectionLimit: 2, connectTimeoutMs: 10_000, queryTimeoutMs: 600_000 },
      bulkLoad: 'auto',
    },
    pino({ level: 'silent' }),
  );
  const { pool: targetPool } = await target.connect();
  const infile = { rows: [] as readonly TradeDayRow[], now: new Date() };
  const options = { host: instance.host, port, user: instance.user, database };
  const connection = await mysql.createConnection({
    ...options,
    flags: ['LOCAL_FILES'],
    infileStreamFactory: () => tsvStream(infile.rows, infile.now),
  });
  const pool = mysql.createPool({ ...options, connectionLimit: 2 });
  // Connections are opened before timing starts: a pool's first use pays the handshake.
  await Promise.all([pool.query('SELECT 1'), targetPool.query('SELECT 1')]);
  const direct = await mysql.createConnection({
    host: instance.host,
    port: instance.port,
    user: instance.user,
    database,
  });
  return {
    connection,
    pool,
    target,
    infile,
    truncate: async () => {
      await direct.query('TRUNCATE trade_day');
    },
    fill: async (rows) => {
      await direct.query('TRUNCATE trade_day');
      const [result] = await upsertRows([target], tradeDayTable, rows);
      if (!result?.ok) throw new Error(`cannot fill the table: ${result?.error}`);
    },
    close: async () => {
      await Promise.all([connection.end(), pool.end(), direct.end(), target.close()]);
    },
  };
}

interface Concurrency {
  rows: number;
  concurrentMs: number;
  sequentialMs: number;
  roundTripsEach: number;
}

/** The same rows to two databases through the proxy: upsertRows([a, b]) against a then b. */
async function measureConcurrency(
  instance: MariadbInstance,
  proxy: DelayProxy,
  closers: Array<() => Promise<void>>,
  context: BenchContext,
): Promise<Concurrency[]> {
  const a = await openEnv(instance, proxy.port, 'bench_pair_a');
  closers.push(a.close);
  const b = await openEnv(instance, proxy.port, 'bench_pair_b');
  closers.push(b.close);
  const out: Concurrency[] = [];
  for (const rows of [981, 100_000]) {
    const data = tradeDayRows(rows);
    const concurrent: number[] = [];
    const sequential: number[] = [];
    let roundTrips = 0;
    for (let i = 0; i < repetitions(rows); i++) {
      await Promise.all([a.truncate(), b.truncate()]);
      proxy.resetRoundTrips();
      let started = performance.now();
      const results = await upsertRows([a.target, b.target], tradeDayTable, data);
      concurrent.push(performance.now() - started);
      roundTrips = proxy.roundTrips() / 2;
      if (!results.every((r) => r.ok)) throw new Error('a concurrent write failed');
      await Promise.all([a.truncate(), b.truncate()]);
      started = performance.now();
      await upsertRows([a.target], tradeDayTable, data);
      await upsertRows([b.target], tradeDayTable, data);
      sequential.push(performance.now() - started);
    }
    const c: Concurrency = {
      rows,
      concurrentMs: median(concurrent),
      sequentialMs: median(sequential),
      roundTripsEach: roundTrips,
    };
    out.push(c);
    context.log(
      `  ${fmt(rows)} rows: concurrent ${ms(c.concurrentMs)}, one after the other ${ms(c.sequentialMs)}, ratio ${(c.concurrentMs / c.sequentialMs).toFixed(2)}`,
    );
  }
  return out;
}

const CONCURRENCY_NOTE =
  'Both databases live on the same server here: with few rows the round trips dominate and overlap fully; ' +
  'with many, the server’s two cores do the work of both either way, so writing them at once gains less (separate servers would not share it).';

function tradeDayRows(count: number): TradeDayRow[] {
  const start = Date.UTC(1000, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(start + i * 86_400_000);
    const weekday = day.getUTCDay();
    return {
      calendarDate: day.toISOString().slice(0, 10),
      isTradingDay: weekday !== 0 && weekday !== 6,
      source: 'baostock',
    };
  });
}

const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (value: number) =>
  value >= 7_200_000
    ? `${(value / 3_600_000).toFixed(1)} h`
    : value >= 120_000
      ? `${(value / 60_000).toFixed(1)} min`
      : value >= 10_000
        ? `${(value / 1000).toFixed(1)} s`
        : `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const rate = (m: Measurement) => m.measuredRows / (m.ms / 1000);
const sampled = (m: Measurement) => m.measuredRows < m.rows;
/** Time for all the rows (extrapolated from a sample when sampled). */
const fullMs = (m: Measurement) => (m.ms * m.rows) / m.measuredRows;

function loadDataRate(m: Measurement, all: readonly Measurement[]): number | undefined {
  const reference = all.find(
    (x) => x.path === m.path && x.rows === m.rows && x.method === loadData,
  );
  return reference && rate(reference);
}

function ratio(m: Measurement, all: readonly Measurement[]): string {
  const reference = loadDataRate(m, all);
  return reference ? (rate(m) / reference).toFixed(2) : '–';
}

function statements(m: Measurement): string {
  // A sample's BEGIN and COMMIT are counted once; the rest scale with the rows.
  return sampled(m)
    ? `~${fmt(Math.round(((m.statements - 2) * m.rows) / m.measuredRows) + 2)}`
    : fmt(m.statements);
}

function roundTrips(m: Measurement): string {
  if (m.roundTrips === null) return '';
  return sampled(m)
    ? `~${fmt(Math.round(((m.roundTrips - 2) * m.rows) / m.measuredRows) + 2)}`
    : fmt(m.roundTrips);
}

function describe(m: Measurement, all: readonly Measurement[]): string {
  const note = sampled(m) ? ` (timed on ${fmt(m.measuredRows)} rows, extrapolated)` : '';
  const trips = m.roundTrips === null ? '' : `, ${roundTrips(m)} round trips`;
  return `${m.path.padEnd(5)} ${fmt(m.rows).padStart(9)} rows  ${m.method.label.padEnd(38)} ${m.phase.padEnd(11)} ${ms(fullMs(m)).padStart(9)}  ${fmt(Math.round(rate(m))).padStart(9)} rows/s  ×${ratio(m, all)} of LOAD DATA  ${statements(m)} statements${trips}${note}`;
}

function report(
  serverVersion: string,
  all: readonly Measurement[],
  concurrency: readonly Concurrency[],
): BenchOutcome {
  const missed: string[] = [];
  const find = (path: PathName, rows: number, method: WriteMethod, phase: Measurement['phase']) =>
    all.find((m) => m.path === path && m.rows === rows && m.method === method && m.phase === phase);

  const targets: Array<[what: string, value: string, met: boolean]> = [];
  const big = find('local', 1_000_000, ourUpsert, 'first write');
  if (big) {
    const bigRatio = rate(big) / loadDataRate(big, all)!;
    targets.push([
      'our upsert ≥ 0.5 of LOAD DATA at 1,000,000 rows into an empty table',
      bigRatio.toFixed(2),
      bigRatio >= 0.5,
    ]);
  }
  const small = find('proxy', 981, ourUpsert, 'first write');
  const smallAgain = find('proxy', 981, ourUpsert, 're-write');
  if (small?.roundTrips != null && smallAgain?.roundTrips != null) {
    const met = small.roundTrips <= 3 && smallAgain.roundTrips <= 3;
    targets.push([
      'our upsert of 981 rows through the proxy within 3 round trips',
      `${small.roundTrips} (re-write ${smallAgain.roundTrips})`,
      met,
    ]);
  }
  const pair = concurrency.find((c) => c.rows === 981);
  if (pair) {
    const pairRatio = pair.concurrentMs / pair.sequentialMs;
    targets.push([
      'two targets written concurrently ≤ 0.6 of one after the other (981 rows, proxy)',
      pairRatio.toFixed(2),
      pairRatio <= 0.6,
    ]);
  }
  for (const [what, value, met] of targets) if (!met) missed.push(`${what}: got ${value}`);

  const lines = [
    `MariaDB ${serverVersion} (a server of the benchmark's own: \`--innodb-buffer-pool-size=512M\`, otherwise defaults, binary log off), ` +
      `table \`trade_day\` as migrated. Proxy: ${DELAY_MS} ms each direction (20 ms round trip). ` +
      `Every method writes in one transaction. Ratios are rows/s against LOAD DATA into an empty table over the same path. ` +
      `Statements are counted by the server (\`Questions\`), round trips by the proxy (a client request after a reply). ` +
      `Row by row is timed on the first ${fmt(rowByRowSample('local', Infinity))} rows locally and ${fmt(rowByRowSample('proxy', Infinity))} through the proxy ` +
      `and extrapolated (~), except the 981-row case through the proxy, timed whole. ` +
      `Writes of ≤ 1,000 rows are the median of ${repetitions(981)} runs (one when a run takes over a second).`,
    '',
    '### Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map(([what, value, met]) => `| ${what} | ${value} | ${met ? 'yes' : '**no**'} |`),
    '',
    '### Figures',
    '',
    '| path | rows | method | phase | time | rows/s | × LOAD DATA | statements | round trips |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|',
    ...all.map(
      (m) =>
        `| ${m.path} | ${fmt(m.rows)} | ${m.method.label} | ${m.phase} | ${sampled(m) ? '~' : ''}${ms(fullMs(m))} | ${fmt(Math.round(rate(m)))} | ${ratio(m, all)} | ${statements(m)} | ${roundTrips(m)} |`,
    ),
    '',
    '### Two targets through the proxy',
    '',
    '| rows | both at once (`upsertRows([a, b])`) | one after the other | ratio | round trips per target |',
    '|---:|---:|---:|---:|---:|',
    ...concurrency.map(
      (c) =>
        `| ${fmt(c.rows)} | ${ms(c.concurrentMs)} | ${ms(c.sequentialMs)} | ${(c.concurrentMs / c.sequentialMs).toFixed(2)} | ${c.roundTripsEach} |`,
    ),
    '',
    CONCURRENCY_NOTE,
  ];
  return { markdown: lines.join('\n'), missed };
}
