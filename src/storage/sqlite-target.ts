import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from 'pino';
import type { SqliteTargetConfig } from '../config/storage-config.js';
import { errorMessage } from '../errors.js';
import { TargetUnavailableError } from './errors.js';
import { migrationsFolder } from './migrations-folder.js';
import { lockSqliteFile, type SqliteFileLock } from './sqlite-file-lock.js';
import * as schema from './schema/sqlite.js';
import type { TargetState } from './target-state.js';

export type SqliteDb = BetterSQLite3Database<typeof schema>;

export interface SqliteConnection {
  sqlite: Database.Database;
  db: SqliteDb;
}

/** The embedded database: a file (or memory), opened and migrated on first use. */
export class SqliteTarget {
  readonly dialect = 'sqlite';
  readonly state: TargetState = { reachable: null, error: null, checkedAt: null };
  #connection: SqliteConnection | undefined;
  #lock: SqliteFileLock | undefined;

  constructor(
    readonly config: SqliteTargetConfig,
    private readonly logger: Logger,
  ) {}

  get name(): string {
    return this.config.name;
  }

  describe(): string {
    return `sqlite:${this.config.file}`;
  }

  connect(): Promise<SqliteConnection> {
    try {
      this.#connection ??= this.#open();
      this.#record(null);
      return Promise.resolve(this.#connection);
    } catch (error) {
      this.#record(error);
      return Promise.reject(
        new TargetUnavailableError(this.name, `${this.describe()}: ${errorMessage(error)}`, {
          cause: error,
        }),
      );
    }
  }

  async ping(): Promise<boolean> {
    try {
      const { sqlite } = await this.connect();
      sqlite.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    this.#connection?.sqlite.close();
    this.#connection = undefined;
    this.#lock?.release();
    this.#lock = undefined;
    return Promise.resolve();
  }

  #record(error: unknown): void {
    this.state.reachable = error === null;
    this.state.error = error === null ? null : errorMessage(error);
    this.state.checkedAt = new Date();
  }

  #open(): SqliteConnection {
    const file = this.config.file;
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
      this.#lock ??= lockSqliteFile(file);
    }
    let sqlite: Database.Database;
    try {
      sqlite = new Database(file);
    } catch (error) {
      this.#lock?.release();
      this.#lock = undefined;
      throw error;
    }
    try {
      // WAL lets readers (queries, subscriptions) proceed while a job writes.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('busy_timeout = 5000');
      const db = drizzle({ client: sqlite, schema });
      migrate(db, { migrationsFolder: migrationsFolder('sqlite') });
      this.logger.info({ target: this.name, at: this.describe() }, 'storage target ready');
      return { sqlite, db };
    } catch (error) {
      sqlite.close();
      this.#lock?.release();
      this.#lock = undefined;
      throw error;
    }
  }
}
