import { sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { canonicalDecimal } from './decimal-text.js';
import type Database from 'better-sqlite3';
import type { SqliteTarget } from '../sqlite-target.js';
import type { AttemptContext, Phase } from './attempt-context.js';
import { insertColumnNames, type UpsertColumn, type UpsertTable } from './upsert-table.js';
import type { WriteCounts } from './write-counts.js';

const dialect = new SQLiteSyncDialect();

/**
 * One attempt at writing every row to the embedded database: one immediate transaction (the
 * write lock taken at BEGIN, so no other process can make us fail half-way on a lock upgrade) of
 * one prepared `INSERT … ON CONFLICT(key) DO UPDATE SET … WHERE <a compared column differs>` run for
 * every row.
 * better-sqlite3 is synchronous, so the transaction cannot interleave with the job store's own
 * writes on the same connection; the abort signal is honoured before it starts.
 *
 * Counting is exact: SQLite's `changes` counts inserted plus updated rows, since the WHERE skips
 * unchanged ones; the inserted ones are those the transaction added (see `insertedRows`).
 *
 * The statement's text comes from Drizzle (table and column names from its definitions); values
 * are bound as parameters to the statement prepared once per batch: building one Drizzle
 * parameter object per value would cost far more than SQLite needs to store it.
 */
export async function writeSqliteOnce<Row>(
  target: SqliteTarget,
  table: UpsertTable<Row>,
  rows: readonly Row[],
  changedAt: Date,
  context: AttemptContext,
  phase: Phase,
): Promise<WriteCounts> {
  phase.current = 'connect';
  const { db, sqlite } = await target.connect();
  context.signal?.throwIfAborted();
  const columns = [...table.key, ...table.compared];
  const width = insertColumnNames(table).length;
  const changedAtValue =
    table.changedAt?.sqlite === 'epoch-s'
      ? Math.floor(changedAt.getTime() / 1000)
      : changedAt.getTime();

  phase.current = 'BEGIN';
  context.countStatement();
  try {
    return db.transaction(
      () => {
        context.countStatement();
        const inserted = insertedRows(sqlite, table);
        let changes = 0;
        // One statement for the batch, prepared once and run per row: SQLite compiles it once,
        // and binding one row's values costs less than building a statement for many.
        phase.current = 'INSERT';
        const statement = sqlite.prepare(statementText(table, 1, width));
        context.countStatement();
        for (let i = 0; i < rows.length; i++) {
          changes += statement.run(
            boundValues(columns, rows, i, i + 1, table.changedAt ? changedAtValue : undefined),
          ).changes;
          if ((i + 1) % 10_000 === 0) context.progress(i + 1);
        }
        context.progress(rows.length);
        context.countStatement();
        const insertedCount = inserted();
        phase.current = 'COMMIT';
        context.countStatement();
        return {
          inserted: insertedCount,
          updated: changes - insertedCount,
          unchanged: rows.length - changes,
        };
      },
      { behavior: 'immediate' },
    );
  } catch (error) {
    if (phase.current !== 'BEGIN') context.countStatement(); // ROLLBACK
    throw error;
  }
}

/**
 * Reads, before the rows are written, what tells the inserted ones apart afterwards; returns the
 * count for after. SQLite gives a new row the rowid one above the table's largest (unless that is
 * the largest integer, when it picks at random), and the upsert never sets a rowid, so the rows
 * above the largest rowid before are exactly the inserted ones: an index range of the new rows,
 * where counting the whole table before and after would read every row of it for each batch.
 * A table whose key is a single integer column has that key as its rowid (its values come from
 * the rows), so it is counted whole. Rowids are read as BigInt: they may pass 2^53.
 */
function insertedRows<Row>(sqlite: Database.Database, table: UpsertTable<Row>): () => number {
  const name = `"${table.name}"`;
  const count = (where = '', ...values: bigint[]) =>
    Number(
      (
        sqlite
          .prepare(`SELECT count(*) AS n FROM ${name}${where}`)
          .safeIntegers()
          .get(...values) as { n: bigint }
      ).n,
    );
  const largest =
    (
      sqlite.prepare(`SELECT max(rowid) AS id FROM ${name}`).safeIntegers().get() as {
        id: bigint | null;
      }
    ).id ?? 0n;
  const keyIsRowid = table.key.length === 1 && table.key[0]!.kind === 'integer';
  if (keyIsRowid || largest === MAX_ROWID) {
    const before = count();
    return () => count() - before;
  }
  return () => count(' WHERE rowid > ?', largest);
}

const MAX_ROWID = 9_223_372_036_854_775_807n;

/** The statement for `rowCount` rows, with a `?` for each value. */
function statementText<Row>(table: UpsertTable<Row>, rowCount: number, width: number): string {
  const tuple = `(${new Array<string>(width).fill('?').join(',')})`;
  return dialect.sqlToQuery(
    upsertStatement(table, sql.raw(new Array<string>(rowCount).fill(tuple).join(','))),
  ).sql;
}

function boundValues<Row>(
  columns: readonly UpsertColumn<Row>[],
  rows: readonly Row[],
  start: number,
  end: number,
  changedAt: number | undefined,
): Array<string | number | null> {
  const values: Array<string | number | null> = [];
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    for (const column of columns) values.push(sqliteValue(column, row[column.field]));
    if (changedAt !== undefined) values.push(changedAt);
  }
  return values;
}

function sqliteValue<Row>(column: UpsertColumn<Row>, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (column.kind === 'boolean') return value === true ? 1 : 0;
  if (column.kind === 'decimal') return canonicalDecimal(value as string, column.decimal!.scale);
  return value as string | number;
}

function upsertStatement<Row>(table: UpsertTable<Row>, values: SQL): SQL {
  const id = (name: string) => sql.identifier(name);
  const columns = sql.join(
    insertColumnNames(table).map((name) => id(name)),
    sql.raw(','),
  );
  const key = sql.join(
    table.key.map((c) => id(c.name)),
    sql.raw(','),
  );
  const assigned = [
    ...(table.changedAt ? [table.changedAt.name] : []),
    ...table.compared.map((c) => c.name),
  ];
  const set = sql.join(
    assigned.map((name) => sql`${id(name)} = excluded.${id(name)}`),
    sql.raw(', '),
  );
  // IS NOT: null-safe inequality; text compares with the column's BINARY collation (case counts).
  const changed = sql.join(
    table.compared.map((c) => sql`${id(c.name)} IS NOT excluded.${id(c.name)}`),
    sql.raw(' OR '),
  );
  return sql`INSERT INTO ${table.sqlite} (${columns}) VALUES ${values} ON CONFLICT (${key}) DO UPDATE SET ${set} WHERE ${changed}`;
}
