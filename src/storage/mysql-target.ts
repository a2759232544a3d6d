import { createHash } from 'node:crypto';
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';
import type { Logger } from 'pino';
import type { MysqlTargetConfig } from '../config/storage-config.js';
import { errorMessage } from '../errors.js';
import { TargetUnavailableError } from './errors.js';
import * as schema from './schema/mysql.js';
import type { TargetState } from './target-state.js';
import { migrationsFolder } from './migrations-folder.js';

export type MysqlDb = MySql2Database<typeof schema>;

/** A prepared MySQL target: database created, migrations applied. */
export interface MysqlConnection {
  pool: mysql.Pool;
  db: MysqlDb;
  /** The server's limit on one statement; upserts are chunked to stay below it. */
  maxAllowedPacket: number;
  /**
   * The session's sql_mode has NO_BACKSLASH_ESCAPES: string literals rendered by the upsert must
   * then double quotes instead of escaping them with a backslash (read once, at connect).
   */
  noBackslashEscapes: boolean;
  /** `@@local_infile`, read once per preparation: whether the server takes LOAD DATA LOCAL. */
  localInfile: boolean;
}

/**
 * One MySQL database. Nothing connects until first use, and a failed preparation is retried on
 * the next use: a database that is down at start-up must not stop the server, and must start
 * working as soon as it is back.
 */
export class MysqlTarget {
  readonly dialect = 'mysql';
  readonly state: TargetState = { reachable: null, error: null, checkedAt: null };
  #ready: Promise<MysqlConnection> | undefined;
  #pool: mysql.Pool | undefined;
  #bulkLoadRefusalLogged = false;

  constructor(
    readonly config: MysqlTargetConfig,
    private readonly logger: Logger,
  ) {}

  get name(): string {
    return this.config.name;
  }

  /** Where it is, for humans: never the password. */
  describe(): string {
    return `mysql://${this.config.user}@${this.config.host}:${this.config.port}/${this.config.database}`;
  }

  connect(): Promise<MysqlConnection> {
    this.#ready ??= this.#prepare().then(
      (connection) => {
        this.#record(null);
        return connection;
      },
      (error: unknown) => {
        this.#ready = undefined;
        this.#record(error);
        throw error;
      },
    );
    return this.#ready;
  }

  /** Asks the server for `SELECT 1`; updates `state`. */
  async ping(): Promise<boolean> {
    try {
      const { pool } = await this.connect();
      await pool.query('SELECT 1');
      this.#record(null);
      return true;
    } catch (error) {
      this.#record(error);
      return false;
    }
  }

  /**
   * Says once in the server log (per target, not per write) that large writes go through
   * statements because the server refuses LOAD DATA LOCAL: an operator wanting the bulk path
   * learns which setting to change.
   */
  logBulkLoadRefused(reason: string): void {
    if (this.#bulkLoadRefusalLogged) return;
    this.#bulkLoadRefusalLogged = true;
    this.logger.warn(
      { target: this.name, at: this.describe() },
      `bulk load unavailable (${reason}): large writes use multi-row statements; set local_infile=1 on the server for LOAD DATA LOCAL, or "bulkLoad": "off" in storage.json to say so`,
    );
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    this.#ready = undefined;
    await pool?.end();
  }

  #record(error: unknown): void {
    this.state.reachable = error === null;
    this.state.error = error === null ? null : errorMessage(error);
    this.state.checkedAt = new Date();
  }

  connectionOptions(withDatabase: boolean): mysql.ConnectionOptions {
    const c = this.config;
    return {
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password.reveal(),
      database: withDatabase ? c.database : undefined,
      charset: c.charset,
      connectTimeout: c.pool.connectTimeoutMs,
      // Without FOUND_ROWS, ON DUPLICATE KEY UPDATE reports 0 for an unchanged row, 1 for an
      // insert and 2 for an update: that is how the upsert counts inserted/updated/unchanged.
      flags: ['-FOUND_ROWS'],
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: ['DATE'],
      enableKeepAlive: true,
    };
  }

  async #prepare(): Promise<MysqlConnection> {
    const c = this.config;
    try {
      if (c.createDatabase) await this.#createDatabase();
      // DDL migrations want a single connection, not a pool (drizzle's advice).
      const connection = await mysql.createConnection({
        ...this.connectionOptions(true),
        multipleStatements: false,
      });
      let maxAllowedPacket: number;
      let noBackslashEscapes: boolean;
      let localInfile: boolean;
      try {
        await this.#migrate(connection);
        const [rows] = await connection.query<mysql.RowDataPacket[]>(
          'SELECT @@max_allowed_packet AS packet, @@SESSION.sql_mode AS mode, @@GLOBAL.local_infile AS local_infile',
        );
        localInfile = Number(rows[0]?.local_infile) === 1;
        maxAllowedPacket = Number(rows[0]?.packet ?? 4 * 1024 * 1024);
        noBackslashEscapes = String(rows[0]?.mode ?? '')
          .toUpperCase()
          .split(',')
          .includes('NO_BACKSLASH_ESCAPES');
      } finally {
        await connection.end();
      }
      await this.#pool?.end();
      const pool = mysql.createPool({
        ...this.connectionOptions(true),
        connectionLimit: c.pool.connectionLimit,
        maxIdle: c.pool.connectionLimit,
        idleTimeout: 60_000,
      });
      this.#pool = pool;
      this.logger.info({ target: this.name, at: this.describe() }, 'storage target ready');
      return {
        pool,
        db: drizzle({ client: pool, schema, mode: 'default' }),
        maxAllowedPacket,
        noBackslashEscapes,
        localInfile,
      };
    } catch (error) {
      throw new TargetUnavailableError(
        this.name,
        `${this.describe()}: ${explain(error, c.database, c.createDatabase)}`,
        { cause: error },
      );
    }
  }

  /**
   * Drizzle's migrator takes no lock: two processes (or two targets naming one database) starting
   * together would both run `CREATE TABLE` and one would fail. A server-wide named lock per
   * database makes them take turns; the second then finds the migrations applied.
   */
  async #migrate(connection: mysql.Connection): Promise<void> {
    const lock = `fda-migrate-${createHash('sha1').update(this.config.database).digest('hex')}`;
    const waitSeconds = Math.max(10, Math.ceil(this.config.pool.queryTimeoutMs / 1000));
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [
      lock,
      waitSeconds,
    ]);
    if (Number(rows[0]?.got) !== 1)
      throw new Error(
        `another client has held the migration lock of ${this.config.database} for ${waitSeconds} s`,
      );
    try {
      await migrate(drizzle({ client: connection }), {
        migrationsFolder: migrationsFolder('mysql'),
      });
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  }

  async #createDatabase(): Promise<void> {
    const connection = await mysql.createConnection(this.connectionOptions(false));
    try {
      await connection.query(
        `CREATE DATABASE IF NOT EXISTS ${mysql.escapeId(this.config.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    } finally {
      await connection.end();
    }
  }
}

/** The driver's message, with what to do about the two database errors a new setup meets first. */
function explain(error: unknown, database: string, createDatabase: boolean): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ER_BAD_DB_ERROR' && !createDatabase) {
    return `database "${database}" does not exist and createDatabase is false: create it, or set createDatabase to true if this user may (${errorMessage(error)})`;
  }
  if (
    (code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR') &&
    createDatabase
  ) {
    return `cannot create database "${database}": this user may not (${errorMessage(error)}); create the database yourself or grant CREATE, or set createDatabase to false once it exists`;
  }
  return errorMessage(error);
}
