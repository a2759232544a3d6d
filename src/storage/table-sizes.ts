import { sql } from 'drizzle-orm';
import type { RowDataPacket } from 'mysql2';
import { errorMessage } from '../errors.js';
import type { MysqlTarget } from './mysql-target.js';
import type { SqliteTarget } from './sqlite-target.js';
import type { StorageTarget } from './targets.js';

export interface TableSize {
  table: string;
  /** MySQL: InnoDB's estimate (information_schema, as the original system reported it); SQLite: exact. */
  rows: number;
  rowsExact: boolean;
  dataBytes: number;
  indexBytes: number;
  totalBytes: number;
}

/** What the `storageTargets` query shows of a target: where, whether it answers, its tables. Never a password. */
export interface TargetTableSizes {
  target: string;
  dialect: 'mysql' | 'sqlite';
  /** `mysql://user@host:port/db` or `sqlite:/path`. */
  location: string;
  reachable: boolean;
  /** Why it is unreachable, or why its sizes could not be read. */
  error: string | null;
  checkedAt: Date;
  /** By table name. */
  tables: TableSize[];
}

/**
 * Pings the target (which also records its state) and reads the size of each of its tables.
 * An unreachable target is reported, never thrown, so one dead database cannot break a listing.
 */
export async function tableSizes(target: StorageTarget): Promise<TargetTableSizes> {
  const base = {
    target: target.name,
    dialect: target.dialect,
    location: target.describe(),
  } as const;
  const reachable = await target.ping();
  if (!reachable)
    return {
      ...base,
      reachable,
      error: target.state.error ?? 'unreachable',
      checkedAt: new Date(),
      tables: [],
    };
  try {
    const tables =
      target.dialect === 'mysql' ? await mysqlSizes(target) : await sqliteSizes(target);
    return { ...base, reachable, error: null, checkedAt: new Date(), tables };
  } catch (error) {
    return {
      ...base,
      reachable,
      error: `cannot read table sizes: ${errorMessage(error)}`,
      checkedAt: new Date(),
      tables: [],
    };
  }
}

/**
 * information_schema.TABLES, as the original system queried it: DATA_LENGTH + INDEX_LENGTH bytes
 * and TABLE_ROWS. For InnoDB these are statistics (rows an estimate, bytes in whole pages);
 * MySQL 8 also caches them for `information_schema_stats_expiry` seconds (a day by default).
 */
async function mysqlSizes(target: MysqlTarget): Promise<TableSize[]> {
  const { db } = await target.connect();
  const [rows] = (await db.execute(sql`
    SELECT TABLE_NAME AS table_name, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length, INDEX_LENGTH AS index_length
    FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
`)) as unknown as [RowDataPacket[]];
  return rows
    .map((r) => {
      const dataBytes = Number(r.data_length ?? 0);
      const indexBytes = Number(r.index_length ?? 0);
      return {
        table: String(r.table_name),
        rows: Number(r.table_rows ?? 0),
        rowsExact: false,
        dataBytes,
        indexBytes,
        totalBytes: dataBytes + indexBytes,
      };
    })
    .sort(byTable);
}

/**
 * SQLite: the `dbstat` virtual table (compiled into better-sqlite3's SQLite) gives the bytes of
 * every b-tree, a table's own and each of its indexes'; rows are counted exactly.
 */
async function sqliteSizes(target: SqliteTarget): Promise<TableSize[]> {
  const { db } = await target.connect();
  const objects = db.all<{ name: string; type: string; tbl_name: string }>(
    sql`SELECT name, type, tbl_name FROM sqlite_schema WHERE (type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!') OR type = 'index'`,
  );
  const bytes = new Map(
    db
      .all<{ name: string; bytes: number }>(
        sql`SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name`,
      )
      .map((r) => [r.name, r.bytes]),
  );
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
  return tables
    .map((table) => {
      const dataBytes = bytes.get(table) ?? 0;
      const indexBytes = objects
        .filter((o) => o.type === 'index' && o.tbl_name === table)
        .reduce((sum, o) => sum + (bytes.get(o.name) ?? 0), 0);
      const rows = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`).n;
      return {
        table,
        rows,
        rowsExact: true,
        dataBytes,
        indexBytes,
        totalBytes: dataBytes + indexBytes,
      };
    })
    .sort(byTable);
}

/** Code-point order, the same for both dialects whatever the server's collation. */
function byTable(a: TableSize, b: TableSize): number {
  return a.table < b.table ? -1 : a.table > b.table ? 1 : 0;
}
