import { sql, type SQL } from 'drizzle-orm';
import { MySqlDialect } from 'drizzle-orm/mysql-core';
import { insertColumnNames, type UpsertColumn, type UpsertTable } from './upsert-table.js';

/** Room left under max_allowed_packet besides our exact byte count (command byte, server slack). */
export const PACKET_SAFETY_BYTES = 1024;
/** Statements stay below this even when the server allows more: memory on both sides, and progress granularity. */
export const DEFAULT_MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

const dialect = new MySqlDialect();

/**
 * `INSERT INTO t (…) VALUES … ON DUPLICATE KEY UPDATE …` through Drizzle's `sql`: the table and
 * column names come from the Drizzle definitions (quoted by Drizzle), the tuples are already
 * rendered literals (see mysql-literals.ts) passed with `sql.raw`. Binding one parameter per value
 * instead would cost several times more client CPU than the server needs to run the statement.
 *
 * The change time is assigned first: MySQL evaluates ON DUPLICATE KEY UPDATE assignments left to
 * right, so the IF still sees the old values. An unchanged row then gets every column set to what
 * it already holds, which the server reports as 0 affected rows and does not write.
 */
export function upsertStatement<Row>(table: UpsertTable<Row>, values: SQL): SQL {
  const id = (name: string) => sql.identifier(name);
  const columns = sql.join(
    insertColumnNames(table).map((name) => id(name)),
    sql.raw(','),
  );
  const assignments: SQL[] = [];
  if (table.changedAt) {
    const at = id(table.changedAt.name);
    const same = sql.join(
      table.compared.map((c) => unchanged(c)),
      sql.raw(' AND '),
    );
    assignments.push(sql`${at} = IF(${same}, ${at}, VALUES(${at}))`);
  }
  for (const c of table.compared) assignments.push(sql`${id(c.name)} = VALUES(${id(c.name)})`);
  return sql`INSERT INTO ${table.mysql} (${columns}) VALUES ${values} ON DUPLICATE KEY UPDATE ${sql.join(assignments, sql.raw(', '))}`;
}

/** Text compares as bytes: under a case-insensitive collation 'SSE' = 'sse', yet it is a change. */
function unchanged<Row>(column: UpsertColumn<Row>): SQL {
  const id = sql.identifier(column.name);
  if (column.kind === 'text') return sql`CAST(${id} AS BINARY) <=> CAST(VALUES(${id}) AS BINARY)`;
  return sql`${id} <=> VALUES(${id})`;
}

/** The statement's text without its tuples, as the server receives it: its fixed cost in bytes. */
export function fixedStatementBytes<Row>(table: UpsertTable<Row>): number {
  return Buffer.byteLength(dialect.sqlToQuery(upsertStatement(table, sql.raw(''))).sql, 'utf8');
}

/**
 * Cuts rows into consecutive chunks whose statements fit `limitBytes`: the fixed text, the tuples
 * and a comma between each two. Returns the end index of each chunk. A row that cannot fit even
 * alone is an error (no statement could carry it).
 */
export function planChunks(
  tupleBytes: Uint32Array,
  fixedBytes: number,
  limitBytes: number,
): number[] {
  const budget = limitBytes - fixedBytes;
  const ends: number[] = [];
  let size = 0;
  let count = 0;
  for (let i = 0; i < tupleBytes.length; i++) {
    const bytes = tupleBytes[i]!;
    if (bytes > budget)
      throw new RangeError(
        `row ${i} needs ${bytes + fixedBytes} bytes in one statement, over the limit of ${limitBytes}`,
      );
    const added = count === 0 ? bytes : bytes + 1;
    if (size + added > budget) {
      ends.push(i);
      size = bytes;
      count = 1;
    } else {
      size += added;
      count += 1;
    }
  }
  if (count > 0) ends.push(tupleBytes.length);
  return ends;
}

/** The statement size limit for a target: its packet limit less a margin, and our own cap. */
export function statementLimit(
  maxAllowedPacket: number,
  maxStatementBytes = DEFAULT_MAX_STATEMENT_BYTES,
): number {
  return Math.min(
    maxAllowedPacket - PACKET_SAFETY_BYTES - Math.ceil(maxAllowedPacket * 0.01),
    maxStatementBytes,
  );
}
