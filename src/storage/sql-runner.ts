import type { SQL } from 'drizzle-orm';
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { MysqlTarget } from './mysql-target.js';
import { statementLimit } from './upsert/mysql-statement.js';
import type { SqliteTarget } from './sqlite-target.js';
import type { StorageTarget } from './targets.js';

/**
 * Runs drizzle `sql` statements on either dialect. The job store is written once against this
 * instead of twice against two query builders whose types do not mix; statements stay plain
 * SQL that both MySQL and SQLite accept, with identifiers quoted by the executing dialect.
 */
export interface SqlRunner {
  readonly dialect: 'mysql' | 'sqlite';
  all<T>(query: SQL): Promise<T[]>;
  /** Returns the number of rows the statement changed. */
  run(query: SQL): Promise<number>;
  /**
   * Runs an UPDATE; returns the rows its WHERE matched, changed or not (MySQL's affected rows
   * count only changed ones: the targets connect without FOUND_ROWS for the upsert's counts).
   */
  update(query: SQL): Promise<number>;
  /**
   * The largest statement the server takes, in bytes, less a margin (MySQL: max_allowed_packet;
   * SQLite: no practical limit). Batched inserts are cut to fit it.
   */
  statementLimitBytes(): Promise<number>;
}

/** Bound parameters in one statement: under SQLite's 32,766 and MySQL's 65,535. */
export const MAX_BOUND_PARAMETERS = 30_000;

export function sqlRunnerFor(target: StorageTarget): SqlRunner {
  return target.dialect === 'mysql' ? mysqlRunner(target) : sqliteRunner(target);
}

function mysqlRunner(target: MysqlTarget): SqlRunner {
  return {
    dialect: 'mysql',
    async all<T>(query: SQL) {
      const { db } = await target.connect();
      const [rows] = (await db.execute(query)) as unknown as [RowDataPacket[]];
      return rows as T[];
    },
    async run(query: SQL) {
      const { db } = await target.connect();
      const [header] = (await db.execute(query)) as unknown as [ResultSetHeader];
      return header.affectedRows;
    },
    async update(query: SQL) {
      const { db } = await target.connect();
      const [header] = (await db.execute(query)) as unknown as [ResultSetHeader];
      const matched = /Rows matched:\s*(\d+)/.exec(header.info);
      if (!matched)
        throw new Error(
          `the server reported no matched rows (info ${JSON.stringify(header.info)})`,
        );
      return Number(matched[1]);
    },
    async statementLimitBytes() {
      const { maxAllowedPacket } = await target.connect();
      return statementLimit(maxAllowedPacket);
    },
  };
}

function sqliteRunner(target: SqliteTarget): SqlRunner {
  return {
    dialect: 'sqlite',
    async all<T>(query: SQL) {
      const { db } = await target.connect();
      return db.all<T>(query);
    },
    async run(query: SQL) {
      const { db } = await target.connect();
      return db.run(query).changes;
    },
    async update(query: SQL) {
      const { db } = await target.connect();
      // SQLite counts every row an UPDATE's WHERE selected, whether or not a value changed.
      return db.run(query).changes;
    },
    statementLimitBytes() {
      return Promise.resolve(Number.POSITIVE_INFINITY);
    },
  };
}
