import { sql, type SQL } from 'drizzle-orm';
import { MySqlDialect } from 'drizzle-orm/mysql-core';
import { mysqlDatetime } from './mysql-literals.js';
import type { UpsertColumn, UpsertTable } from './upsert-table.js';

/*
 * The statements of the bulk-load path (mysql-bulk-load.ts), through Drizzle's `sql` so names
 * come from the table definitions, quoted by Drizzle.
 */

const dialect = new MySqlDialect();
const id = (name: string) => sql.identifier(name);
const text = (query: SQL) => dialect.sqlToQuery(query).sql;

/** The file name LOAD DATA asks for; the driver's stream factory answers any name with our rows. */
const INFILE = 'fda-bulk-load';

/** The session's staging table: temporary, so no other session sees it and it goes with the connection. */
export function stagingName<Row>(table: UpsertTable<Row>): string {
  return `fda_stage_${table.name}`;
}

/**
 * Whether any of `rows`' keys (the batch's first and last: a cheap guess whether the batch is new)
 * is stored. No lock: the direct load that follows skips a key someone stored meanwhile, and the
 * merge then handles it.
 */
export function storedKeysStatement<Row>(
  table: UpsertTable<Row>,
  rows: readonly Row[],
): { sql: string; values: unknown[] } {
  const matches = rows.map((row) =>
    sql.join(
      table.key.map((c) => sql`${id(c.name)} = ${row[c.field] as string | number}`),
      sql.raw(' AND '),
    ),
  );
  const query = dialect.sqlToQuery(
    sql`SELECT 1 FROM ${table.mysql} WHERE (${sql.join(matches, sql.raw(') OR ('))}) LIMIT 1`,
  );
  return { sql: query.sql, values: query.params };
}

/**
 * `LOAD DATA LOCAL INFILE` of the encoder's format (load-data-encoder.ts) into `into`. Every
 * separator is a hex literal, which reads the same whatever the session's NO_BACKSLASH_ESCAPES;
 * the change time is one constant for the whole write. LOCAL means duplicate keys are skipped
 * (counted as Skipped) and bad values would be warnings: values are checked before, and the
 * caller refuses any warning it cannot explain.
 */
export function loadDataStatement<Row>(
  table: UpsertTable<Row>,
  into: string,
  changedAt: Date,
): string {
  const columns = sql.join(
    [...table.key, ...table.compared].map((c) => id(c.name)),
    sql.raw(','),
  );
  const set = table.changedAt
    ? sql` SET ${id(table.changedAt.name)} = ${sql.raw(mysqlDatetime(changedAt))}`
    : sql``;
  return text(
    sql`LOAD DATA LOCAL INFILE ${sql.raw(`'${INFILE}'`)} INTO TABLE ${id(into)} CHARACTER SET utf8mb4 FIELDS TERMINATED BY X'09' ENCLOSED BY '' ESCAPED BY X'5C' LINES TERMINATED BY X'0A' STARTING BY '' (${columns})${set}`,
  );
}

/**
 * The staging table: the written columns with the target's own types (so a value means the same
 * in both), no keys (loading is then a plain append), MyISAM (no undo log to write for rows that
 * live for one transaction; the table goes with the connection whatever happens).
 */
export function createStagingStatement<Row>(table: UpsertTable<Row>): string {
  return text(
    sql`CREATE TEMPORARY TABLE ${id(stagingName(table))} ENGINE=MyISAM SELECT ${allColumns(table)} FROM ${table.mysql} LIMIT 0`,
  );
}

export function dropStagingStatement<Row>(table: UpsertTable<Row>): string {
  return text(sql`DROP TEMPORARY TABLE IF EXISTS ${id(stagingName(table))}`);
}

/**
 * Merges the staging table: only rows that are new or differ from the stored ones are selected
 * (a read of the stored row, no write for an unchanged one), then inserted with ON DUPLICATE KEY
 * UPDATE. The OK packet then counts exactly: Records = rows selected, of which Duplicates were
 * updated and the rest inserted; every row not selected was unchanged. The same key twice in the
 * staging table (an exact duplicate in the batch) is selected twice and its second copy finds the
 * first: the IF leaves it as it is and the server counts it unchanged, as the statement path does.
 * Target columns are qualified: the SELECT reads the same names from two other tables.
 */
export function mergeStatement<Row>(table: UpsertTable<Row>): string {
  const stage = id(stagingName(table));
  const target = id(table.name);
  const stored = id('fda_stored');
  const keyJoin = sql.join(
    table.key.map((c) => sql`${stored}.${id(c.name)} = ${stage}.${id(c.name)}`),
    sql.raw(' AND '),
  );
  const sameAsStored = sql.join(
    table.compared.map((c) => same(c, sql`${stored}.${id(c.name)}`, sql`${stage}.${id(c.name)}`)),
    sql.raw(' AND '),
  );
  const selected = sql.join(
    insertNames(table).map((name) => sql`${stage}.${id(name)}`),
    sql.raw(','),
  );
  const assignments: SQL[] = [];
  if (table.changedAt) {
    const at = sql`${target}.${id(table.changedAt.name)}`;
    const sameAsNew = sql.join(
      table.compared.map((c) => same(c, sql`${target}.${id(c.name)}`, sql`VALUES(${id(c.name)})`)),
      sql.raw(' AND '),
    );
    assignments.push(sql`${at} = IF(${sameAsNew}, ${at}, VALUES(${id(table.changedAt.name)}))`);
  }
  for (const c of table.compared)
    assignments.push(sql`${target}.${id(c.name)} = VALUES(${id(c.name)})`);
  return text(
    sql`INSERT INTO ${target} (${allColumns(table)}) SELECT ${selected} FROM ${stage} LEFT JOIN ${table.mysql} AS ${stored} ON ${keyJoin} WHERE ${stored}.${id(table.key[0]!.name)} IS NULL OR NOT (${sameAsStored}) ON DUPLICATE KEY UPDATE ${sql.join(assignments, sql.raw(', '))}`,
  );
}

/** Null-safe equality; text as bytes, since under a case-insensitive collation 'SSE' = 'sse'. */
function same<Row>(column: UpsertColumn<Row>, left: SQL, right: SQL): SQL {
  return column.kind === 'text'
    ? sql`CAST(${left} AS BINARY) <=> CAST(${right} AS BINARY)`
    : sql`${left} <=> ${right}`;
}

function insertNames<Row>(table: UpsertTable<Row>): string[] {
  const names = [...table.key, ...table.compared].map((c) => c.name);
  if (table.changedAt) names.push(table.changedAt.name);
  return names;
}

function allColumns<Row>(table: UpsertTable<Row>): SQL {
  return sql.join(
    insertNames(table).map((name) => id(name)),
    sql.raw(','),
  );
}

/** `Records: N  Deleted: D  Skipped: S  Warnings: W` (LOAD DATA) or `Records: N  Duplicates: D  Warnings: W`. */
export interface InfoCounts {
  records: number;
  skipped: number;
  duplicates: number;
  warnings: number;
}

export function parseInfo(info: string): InfoCounts {
  const read = (label: string): number => {
    const match = new RegExp(`${label}:\\s*(\\d+)`).exec(info);
    return match ? Number(match[1]) : 0;
  };
  if (!/Records:\s*\d+/.test(info))
    throw new Error(`the server reported no record count (info ${JSON.stringify(info)})`);
  return {
    records: read('Records'),
    skipped: read('Skipped'),
    duplicates: read('Duplicates'),
    warnings: read('Warnings'),
  };
}
