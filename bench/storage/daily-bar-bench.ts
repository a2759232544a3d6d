/**
 * Issue 12's cases on a daily_bar-shaped table (4,000 codes × 250 days = 1,000,000 rows by
 * default; `FDA_BENCH_BAR_ROWS` for fewer): LOAD DATA into an empty table is the limit; the
 * bulk-load path and today's multi-row statements are timed into an empty table, re-writing every
 * row unchanged, and with 10% of rows changed; statements counted by the server. Then rows
 * streamed through upsertBatches (RSS growth; `FDA_BENCH_STREAM_ROWS`, default 10× the rows) and
 * two targets at once against one after the other. Locally and through the delay proxy.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pino from 'pino';
import { Secret } from '../../src/config/secret.js';
import type { BulkLoadMode } from '../../src/config/storage-config.js';
import { MysqlTarget } from '../../src/storage/mysql-target.js';
import { loadDataStream } from '../../src/storage/upsert/load-data-encoder.js';
import { loadDataStatement } from '../../src/storage/upsert/load-data-statements.js';
import { dailyBarTable, upsertRows, type DailyBarRow } from '../../src/storage/upsert/index.js';
import type { MariadbInstance } from '../../test/support/mariadb-instance.js';
import type { BenchContext } from '../bench-module.js';
import { bars, DAYS, tenthChanged } from './bar-rows.js';
import type { DelayProxy } from './delay-proxy.js';

const ROWS = Number(process.env.FDA_BENCH_BAR_ROWS ?? 1_000_000);
const STREAM_ROWS = Number(process.env.FDA_BENCH_STREAM_ROWS ?? ROWS * 10);
const STREAM_BATCH = 10_000;
const STREAM_CHILD = fileURLToPath(new URL('./stream-child.ts', import.meta.url));

type Case = 'empty' | 'unchanged' | '10% changed';
interface Figure {
  path: 'local' | 'proxy';
  method: 'LOAD DATA' | 'bulk load' | 'multi-row statements';
  case: Case;
  ms: number;
  statements: number;
}

export interface DailyBarOutcome {
  markdown: string[];
  missed: string[];
}

export async function benchDailyBars(
  instance: MariadbInstance,
  proxy: DelayProxy,
  context: BenchContext,
): Promise<DailyBarOutcome> {
  const monitor = await mysql.createConnection({
    host: instance.host,
    port: instance.port,
    user: 'root',
  });
  const questions = async () => {
    const [rows] = await monitor.query<mysql.RowDataPacket[]>(
      "SHOW GLOBAL STATUS LIKE 'Questions'",
    );
    return Number(rows[0]!.Value);
  };
  const targets: MysqlTarget[] = [];
  const open = async (name: string, port: number, bulkLoad: BulkLoadMode) => {
    const target = barTarget(instance, port, name, bulkLoad);
    targets.push(target);
    await target.connect();
    return target;
  };
  const truncate = (database: string) => monitor.query(`TRUNCATE ${database}.daily_bar`);
  try {
    const data = bars(ROWS);
    const changed = tenthChanged(data);
    const figures: Figure[] = [];
    context.log(
      `\ndaily_bar, ${ROWS.toLocaleString('en-US')} rows (${ROWS / DAYS} codes × ${DAYS} days):`,
    );
    for (const path of ['local', 'proxy'] as const) {
      const port = path === 'local' ? instance.port : proxy.port;
      const bulk = await open(`bars_${path}_bulk`, port, 'on');
      const statements = await open(`bars_${path}_stmts`, port, 'off');
      const timed = async (method: Figure['method'], c: Case, write: () => Promise<void>) => {
        const q0 = await questions();
        const started = performance.now();
        await write();
        const ms = performance.now() - started;
        const figure = { path, method, case: c, ms, statements: (await questions()) - q0 - 1 };
        figures.push(figure);
        context.log(
          `  ${path.padEnd(5)} ${method.padEnd(22)} ${c.padEnd(11)} ${(ms / 1000).toFixed(2).padStart(7)} s  ×${(rateOf(figure) / loadRate(figures, path)).toFixed(2)} of LOAD DATA  ${figure.statements} statements`,
        );
      };
      await truncate(bulk.config.database);
      await timed('LOAD DATA', 'empty', () => plainLoadData(bulk, data));
      for (const [method, target] of [
        ['bulk load', bulk],
        ['multi-row statements', statements],
      ] as const) {
        await truncate(target.config.database);
        const write = (rows: DailyBarRow[]) => async () => {
          const [r] = await upsertRows([target], dailyBarTable, rows);
          if (!r?.ok) throw new Error(`${method}: ${r?.error}`);
        };
        await timed(method, 'empty', write(data));
        await timed(method, 'unchanged', write(data));
        await timed(method, '10% changed', write(changed));
      }
    }

    context.log('  two targets at once, local:');
    const a = await open('bars_pair_a', instance.port, 'auto');
    const b = await open('bars_pair_b', instance.port, 'auto');
    await Promise.all([truncate('bars_pair_a'), truncate('bars_pair_b')]);
    let started = performance.now();
    const pair = await upsertRows([a, b], dailyBarTable, data);
    const concurrentMs = performance.now() - started;
    if (!pair.every((r) => r.ok)) throw new Error('a concurrent write failed');
    await Promise.all([truncate('bars_pair_a'), truncate('bars_pair_b')]);
    started = performance.now();
    await upsertRows([a], dailyBarTable, data);
    await upsertRows([b], dailyBarTable, data);
    const sequentialMs = performance.now() - started;
    context.log(
      `    at once ${(concurrentMs / 1000).toFixed(2)} s, one after the other ${(sequentialMs / 1000).toFixed(2)} s`,
    );

    context.log(
      `  ${STREAM_ROWS.toLocaleString('en-US')} rows streamed in batches of ${STREAM_BATCH.toLocaleString('en-US')}:`,
    );
    await truncate('bars_pair_a');
    const streamed = await streamInChild(instance, a.config.database);
    const growthMb = (streamed.peak - streamed.idle) / 1024 / 1024;
    context.log(
      `    ${streamed.seconds.toFixed(1)} s, RSS growth ${growthMb.toFixed(0)} MB, ${streamed.statements} statements`,
    );

    return report(
      figures,
      { concurrentMs, sequentialMs },
      { ms: streamed.seconds * 1000, growthMb, statements: streamed.statements },
    );
  } finally {
    await Promise.all(targets.map((t) => t.close()));
    await monitor.end();
  }
}

function report(
  figures: readonly Figure[],
  pair: { concurrentMs: number; sequentialMs: number },
  stream: { ms: number; growthMb: number; statements: number },
): DailyBarOutcome {
  const find = (path: Figure['path'], method: Figure['method'], c: Case) =>
    figures.find((f) => f.path === path && f.method === method && f.case === c)!;
  const ratio = (f: Figure) => rateOf(f) / loadRate(figures, f.path);
  const goals: Array<[string, string, boolean]> = [];
  for (const path of ['local', 'proxy'] as const) {
    for (const [c, goal] of [
      ['empty', 0.8],
      ['unchanged', 0.5],
      ['10% changed', 0.5],
    ] as const) {
      const f = find(path, 'bulk load', c);
      goals.push([
        `${path}: ${c}, bulk load ≥ ${goal} × LOAD DATA`,
        `${ratio(f).toFixed(2)} (statements: ${ratio(find(path, 'multi-row statements', c)).toFixed(2)})`,
        ratio(f) >= goal,
      ]);
    }
    const most = Math.max(
      ...figures
        .filter((f) => f.path === path && f.method === 'bulk load')
        .map((f) => f.statements),
    );
    goals.push([`${path}: statements per write, bulk load < 10`, String(most), most < 10]);
  }
  const batches = Math.ceil(STREAM_ROWS / STREAM_BATCH);
  goals.push([
    `${STREAM_ROWS.toLocaleString('en-US')} rows streamed: RSS growth < 200 MB`,
    `${stream.growthMb.toFixed(0)} MB`,
    stream.growthMb < 200,
  ]);
  goals.push([
    `streamed: statements per batch < 10`,
    (stream.statements / batches).toFixed(1),
    stream.statements / batches < 10,
  ]);
  goals.push([
    `two targets at once no slower than one after the other (local, ${ROWS.toLocaleString('en-US')} rows)`,
    (pair.concurrentMs / pair.sequentialMs).toFixed(2),
    pair.concurrentMs <= pair.sequentialMs,
  ]);
  const markdown = [
    '',
    `### daily_bar, ${ROWS.toLocaleString('en-US')} rows (issue 12)`,
    '',
    `\`daily_bar\` as migrated, ${ROWS / DAYS} codes × ${DAYS} days, decimal strings. LOAD DATA: our encoder's stream straight into the empty table, no upsert. ` +
      'Bulk load: `upsertRows` on a target with `"bulkLoad": "on"`; multi-row statements: `"bulkLoad": "off"` (today\'s path). Statements counted by the server (`Questions`).',
    '',
    '| goal | measured | met |',
    '|---|---|---|',
    ...goals.map(([what, value, met]) => `| ${what} | ${value} | ${met ? 'yes' : '**no**'} |`),
    '',
    '| path | method | case | time | × LOAD DATA | statements |',
    '|---|---|---|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.path} | ${f.method} | ${f.case} | ${(f.ms / 1000).toFixed(2)} s | ${ratio(f).toFixed(2)} | ${f.statements} |`,
    ),
    '',
    `Streamed: ${STREAM_ROWS.toLocaleString('en-US')} rows in batches of ${STREAM_BATCH.toLocaleString('en-US')} through \`upsertBatches\` into an empty table, in a process of its own (bench/storage/stream-child.ts), ${(stream.ms / 1000).toFixed(1)} s; growth is its peak resident size (VmHWM) minus its resident size once connected: ${stream.growthMb.toFixed(0)} MB. ` +
      `Two targets (same server): at once ${(pair.concurrentMs / 1000).toFixed(2)} s, one after the other ${(pair.sequentialMs / 1000).toFixed(2)} s.`,
  ];
  return {
    markdown,
    missed: goals.filter(([, , met]) => !met).map(([what, value]) => `${what}: got ${value}`),
  };
}

const rateOf = (f: Figure) => ROWS / f.ms;
const loadRate = (figures: readonly Figure[], path: Figure['path']) =>
  rateOf(figures.find((f) => f.path === path && f.method === 'LOAD DATA')!);

export async function plainLoadData(
  target: MysqlTarget,
  rows: readonly DailyBarRow[],
): Promise<void> {
  const { pool } = await target.connect();
  const c = await pool.getConnection();
  try {
    await c.query('BEGIN');
    await c.query({
      sql: loadDataStatement(dailyBarTable, 'daily_bar', new Date()),
      infileStreamFactory: () =>
        loadDataStream([...dailyBarTable.key, ...dailyBarTable.compared], rows),
    });
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

export function barTarget(
  instance: MariadbInstance,
  port: number,
  database: string,
  bulkLoad: BulkLoadMode,
) {
  return new MysqlTarget(
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
      pool: { connectionLimit: 2, connectTimeoutMs: 10_000, queryTimeoutMs: 1_800_000 },
      bulkLoad,
    },
    pino({ level: 'silent' }),
  );
}

interface StreamOutcome {
  seconds: number;
  idle: number;
  peak: number;
  statements: number;
  written: number;
}

async function streamInChild(instance: MariadbInstance, database: string): Promise<StreamOutcome> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', STREAM_CHILD],
    {
      env: {
        ...process.env,
        FDA_STREAM_TARGET: JSON.stringify({
          host: instance.host,
          port: instance.port,
          user: instance.user,
          database,
        }),
        FDA_STREAM_ROWS: String(STREAM_ROWS),
        FDA_STREAM_BATCH: String(STREAM_BATCH),
      },
      maxBuffer: 1024 * 1024,
    },
  );
  const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as StreamOutcome;
  if (outcome.written !== STREAM_ROWS)
    throw new Error(`stream wrote ${outcome.written} of ${STREAM_ROWS} rows`);
  return outcome;
}
