/**
 * Issue 12's SQLite cases on the same daily_bar rows: the limit is a plain prepared INSERT of
 * every row into the empty table in one transaction (no conflict clause, nothing compared); our
 * upsert (`upsertRows`, one prepared statement per batch in one transaction, WAL) is timed into an
 * empty table, re-writing every row unchanged, with 10% changed, and streamed in batches (one
 * transaction per batch, as a streaming storager writes) into an empty table. Every case writes
 * rows made before its clock starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { SqliteTarget } from '../../src/storage/sqlite-target.js';
import {
  dailyBarTable,
  upsertBatches,
  upsertRows,
  type DailyBarRow,
} from '../../src/storage/upsert/index.js';
import { insertColumnNames } from '../../src/storage/upsert/upsert-table.js';
import type { BenchContext } from '../bench-module.js';
import { bars, tenthChanged } from './bar-rows.js';

const ROWS = Number(process.env.FDA_BENCH_BAR_ROWS ?? 1_000_000);
const STREAM_BATCH = 10_000;

type Case = 'empty' | 'unchanged' | '10% changed' | `streamed, batches of ${number}`;
interface Figure {
  method: 'plain INSERT' | 'our upsert';
  case: Case;
  ms: number;
}

export interface SqliteOutcome {
  markdown: string[];
  missed: string[];
}

export async function benchSqliteBars(context: BenchContext): Promise<SqliteOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'fda-bench-sqlite-'));
  const open = async (name: string) => {
    const target = new SqliteTarget(
      { dialect: 'sqlite', name, file: join(dir, `${name}.sqlite`) },
      pino({ level: 'silent' }),
    );
    await target.connect();
    return target;
  };
  const targets: SqliteTarget[] = [];
  try {
    const data = bars(ROWS);
    const changed = tenthChanged(data);
    const figures: Figure[] = [];
    context.log(`\ndaily_bar into SQLite, ${ROWS.toLocaleString('en-US')} rows:`);
    const timed = async (method: Figure['method'], c: Case, write: () => Promise<void>) => {
      const started = performance.now();
      await write();
      const figure = { method, case: c, ms: performance.now() - started };
      figures.push(figure);
      context.log(
        `  ${method.padEnd(13)} ${c.padEnd(26)} ${(figure.ms / 1000).toFixed(2).padStart(7)} s  ×${(figures[0]!.ms / figure.ms).toFixed(2)} of plain INSERT`,
      );
    };
    const plain = await open('plain');
    targets.push(plain);
    await timed('plain INSERT', 'empty', () => plainSqliteInsert(plain, data));
    const ours = await open('ours');
    targets.push(ours);
    const write = (rows: DailyBarRow[]) => async () => {
      const [r] = await upsertRows([ours], dailyBarTable, rows);
      if (!r?.ok) throw new Error(`sqlite upsert: ${r?.error}`);
    };
    await timed('our upsert', 'empty', write(data));
    await timed('our upsert', 'unchanged', write(data));
    await timed('our upsert', '10% changed', write(changed));
    const streamed = await open('streamed');
    targets.push(streamed);
    await timed('our upsert', `streamed, batches of ${STREAM_BATCH}`, async () => {
      const [r] = await upsertBatches([streamed], dailyBarTable, batchesOf(data, STREAM_BATCH));
      if (!r?.ok || r.inserted !== ROWS) throw new Error(`sqlite stream: ${r?.error}`);
    });
    return report(figures);
  } finally {
    await Promise.all(targets.map((t) => t.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(figures: readonly Figure[]): SqliteOutcome {
  const limit = figures[0]!.ms;
  const markdown = [
    '',
    `### daily_bar into SQLite, ${ROWS.toLocaleString('en-US')} rows (issue 12)`,
    '',
    'A file of its own per method, WAL, `synchronous = NORMAL`. The limit: one prepared plain `INSERT` (no conflict clause) run for every row into the empty table in one transaction. ' +
      'Our upsert: `upsertRows`, one prepared `INSERT … ON CONFLICT DO UPDATE … WHERE <a column differs>` run per row in one transaction; streamed: the same rows through `upsertBatches`, one transaction per batch, as a streaming storager writes them. ' +
      'The issue sets no SQLite goal; the MySQL ones would be 0.8 into an empty table and 0.5 for re-writes.',
    '',
    '| method | case | time | rows/s | × plain INSERT |',
    '|---|---|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.method} | ${f.case} | ${(f.ms / 1000).toFixed(2)} s | ${Math.round((ROWS / f.ms) * 1000).toLocaleString('en-US')} | ${(limit / f.ms).toFixed(2)} |`,
    ),
  ];
  return { markdown, missed: [] };
}

/** The limit: every row through one prepared INSERT with no conflict clause, one transaction. */
export async function plainSqliteInsert(
  target: SqliteTarget,
  rows: readonly DailyBarRow[],
): Promise<void> {
  const { sqlite } = await target.connect();
  const names = insertColumnNames(dailyBarTable);
  const statement = sqlite.prepare(
    `INSERT INTO daily_bar (${names.map((n) => `"${n}"`).join(',')}) VALUES (${names.map(() => '?').join(',')})`,
  );
  const columns = [...dailyBarTable.key, ...dailyBarTable.compared];
  const now = Math.floor(Date.now() / 1000);
  sqlite.transaction(() => {
    for (const row of rows) {
      const values: Array<string | number | null> = columns.map((c) => {
        const value = row[c.field];
        return typeof value === 'boolean' ? (value ? 1 : 0) : value;
      });
      values.push(now);
      statement.run(values);
    }
  })();
}

function* batchesOf<Row>(rows: readonly Row[], size: number): Generator<Row[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}
