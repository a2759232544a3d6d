import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/** How a value is checked and rendered; derived from the MySQL column's Drizzle type. */
export type ValueKind = 'date' | 'boolean' | 'text' | 'integer' | 'number' | 'decimal';

/** One column the upsert writes from a row property of the same name. */
export interface UpsertColumn<Row> {
  /** The row's property, also the column's key in both Drizzle table definitions. */
  readonly field: keyof Row & string;
  /** The SQL column name (the same in both dialects). */
  readonly name: string;
  readonly kind: ValueKind;
  readonly nullable: boolean;
  /** For VARCHAR/CHAR: the most characters the column holds. */
  readonly maxLength: number | null;
  /** For DECIMAL(precision, scale): its digits in all and after the point (see decimal-text.ts). */
  readonly decimal: { readonly precision: number; readonly scale: number } | null;
}

/** A column set to the write's time on insert and whenever a compared column changed, never otherwise. */
export interface ChangedAtColumn {
  readonly name: string;
  /** How SQLite stores the time: epoch milliseconds, epoch seconds. (MySQL: DATETIME in UTC, as Drizzle maps it.) */
  readonly sqlite: 'epoch-ms' | 'epoch-s';
}

/**
 * One table's upsert definition: which columns are the key, which are compared to detect a
 * change (and then overwritten), and the column that records when a row last changed. Built with
 * `defineUpsertTable` from the Drizzle tables, so names and value types have one source.
 */
export interface UpsertTable<Row> {
  readonly name: string;
  readonly mysql: MySqlTable;
  readonly sqlite: SQLiteTable;
  readonly key: readonly UpsertColumn<Row>[];
  readonly compared: readonly UpsertColumn<Row>[];
  readonly changedAt: ChangedAtColumn | null;
}

export interface UpsertTableDefinition<Row> {
  mysql: MySqlTable;
  sqlite: SQLiteTable;
  key: readonly (keyof Row & string)[];
  compared: readonly (keyof Row & string)[];
  /** Property of the Drizzle tables (not of the row) holding the last change time. */
  changedAt?: string;
}

/**
 * Checks a definition against both Drizzle tables at module load: every field must be a column of
 * both, under the same SQL name, of a type the upsert knows how to render. A mistake here fails at
 * start-up (and in tests), never half-way through a write.
 */
export function defineUpsertTable<Row>(definition: UpsertTableDefinition<Row>): UpsertTable<Row> {
  const name = getTableName(definition.mysql);
  if (getTableName(definition.sqlite) !== name) {
    throw new Error(
      `upsert table ${name}: the SQLite table is named ${getTableName(definition.sqlite)}`,
    );
  }
  if (definition.key.length === 0) throw new Error(`upsert table ${name}: no key column`);
  if (definition.compared.length === 0) throw new Error(`upsert table ${name}: no compared column`);
  const mysqlColumns = getTableColumns(definition.mysql) as Record<string, Column>;
  const sqliteColumns = getTableColumns(definition.sqlite) as Record<string, Column>;

  const pair = (field: string): [Column, Column] => {
    const my = mysqlColumns[field];
    const lite = sqliteColumns[field];
    if (!my || !lite)
      throw new Error(`upsert table ${name}: "${field}" is not a column of both table definitions`);
    if (my.name !== lite.name)
      throw new Error(
        `upsert table ${name}: "${field}" is ${my.name} in MySQL but ${lite.name} in SQLite`,
      );
    return [my, lite];
  };
  const column = (field: keyof Row & string): UpsertColumn<Row> => {
    const [my, lite] = pair(field);
    const { kind, maxLength, decimal } = kindOf(name, my);
    if (kind === 'decimal' && lite.columnType !== 'SQLiteText')
      throw new Error(
        `upsert table ${name}: decimal ${my.name} must be text in SQLite (exact digits)`,
      );
    return { field, name: my.name, kind, nullable: !my.notNull, maxLength, decimal };
  };

  let changedAt: ChangedAtColumn | null = null;
  if (definition.changedAt !== undefined) {
    const [my, lite] = pair(definition.changedAt);
    if (my.columnType !== 'MySqlDateTime')
      throw new Error(`upsert table ${name}: ${my.name} must be a DATETIME (mode 'date') in MySQL`);
    const mode = (lite as Column & { mode?: string }).mode;
    if (lite.columnType !== 'SQLiteTimestamp' && lite.columnType !== 'SQLiteInteger') {
      throw new Error(`upsert table ${name}: ${lite.name} must be an integer timestamp in SQLite`);
    }
    changedAt = { name: my.name, sqlite: mode === 'timestamp' ? 'epoch-s' : 'epoch-ms' };
  }

  const key = definition.key.map(column);
  const compared = definition.compared.map(column);
  const names = [...key, ...compared].map((c) => c.name);
  if (changedAt) names.push(changedAt.name);
  if (new Set(names).size !== names.length)
    throw new Error(`upsert table ${name}: a column is listed twice`);
  return { name, mysql: definition.mysql, sqlite: definition.sqlite, key, compared, changedAt };
}

interface ColumnKind {
  kind: ValueKind;
  maxLength: number | null;
  decimal: UpsertColumn<unknown>['decimal'];
}

function kindOf(table: string, column: Column): ColumnKind {
  const plain = (kind: ValueKind, maxLength: number | null = null): ColumnKind => ({
    kind,
    maxLength,
    decimal: null,
  });
  switch (column.columnType) {
    case 'MySqlDateString':
      return plain('date');
    case 'MySqlBoolean':
      return plain('boolean');
    case 'MySqlVarChar':
    case 'MySqlChar':
      return plain('text', (column as Column & { length?: number }).length ?? null);
    case 'MySqlText':
      return plain('text');
    case 'MySqlInt':
    case 'MySqlTinyInt':
    case 'MySqlSmallInt':
    case 'MySqlMediumInt':
    case 'MySqlBigInt53':
      return plain('integer');
    case 'MySqlDouble':
    case 'MySqlFloat':
    case 'MySqlReal':
      return plain('number');
    case 'MySqlDecimal': {
      // Drizzle leaves both undefined for a bare DECIMAL, which MySQL takes as DECIMAL(10, 0).
      const { precision = 10, scale = 0 } = column as Column & {
        precision?: number;
        scale?: number;
      };
      return { kind: 'decimal', maxLength: null, decimal: { precision, scale } };
    }
    default:
      throw new Error(
        `upsert table ${table}: column ${column.name} has type ${column.columnType}, which the upsert cannot render`,
      );
  }
}

/** Every column an INSERT names, in tuple order: key, compared, then the change time. */
export function insertColumnNames<Row>(table: UpsertTable<Row>): string[] {
  const names = [...table.key, ...table.compared].map((c) => c.name);
  if (table.changedAt) names.push(table.changedAt.name);
  return names;
}
