/**
 * The Drizzle table definitions and the migrations in drizzle/ must agree. Two checks:
 * 1. drizzle-kit's own diff of the definitions against the last snapshot is empty (what
 *    `npm run db:generate` would find to write), and it does notice a change;
 * 2. the migrations, applied to a real database, build the same columns and indexes as the SQL
 *    drizzle-kit generates from the definitions afresh (so a hand-edited migration is caught too).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as drizzleKit from 'drizzle-kit/api';
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { migrationsFolder } from '../../src/storage/migrations-folder.js';
import * as mysqlSchema from '../../src/storage/schema/mysql.js';
import * as sqliteSchema from '../../src/storage/schema/sqlite.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { address, mysqlTarget } from './helpers.js';

/** The part of drizzle-kit's snapshots this test touches (its own types refer to packages not installed here). */
interface Snapshot {
  id: string;
  tables: Record<string, { columns: Record<string, unknown> }>;
}
interface DrizzleKitApi {
  generateMySQLDrizzleJson: (
    imports: Record<string, unknown>,
    prevId?: string,
  ) => Promise<Snapshot>;
  generateMySQLMigration: (prev: Snapshot, cur: Snapshot) => Promise<string[]>;
  generateSQLiteDrizzleJson: (
    imports: Record<string, unknown>,
    prevId?: string,
  ) => Promise<Snapshot>;
  generateSQLiteMigration: (prev: Snapshot, cur: Snapshot) => Promise<string[]>;
}
const {
  generateMySQLDrizzleJson,
  generateMySQLMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} = drizzleKit as unknown as DrizzleKitApi;

function journal(dialect: 'mysql' | 'sqlite'): { entries: Array<{ idx: number }> } {
  return JSON.parse(
    readFileSync(join(migrationsFolder(dialect), 'meta', '_journal.json'), 'utf8'),
  ) as { entries: Array<{ idx: number }> };
}

const journalEntries = (dialect: 'mysql' | 'sqlite') => journal(dialect).entries.length;

function lastSnapshot(dialect: 'mysql' | 'sqlite'): Snapshot {
  const folder = migrationsFolder(dialect);
  const last = journal(dialect).entries.at(-1)!;
  return JSON.parse(
    readFileSync(
      join(folder, 'meta', `${String(last.idx).padStart(4, '0')}_snapshot.json`),
      'utf8',
    ),
  ) as Snapshot;
}

const skipMysql = await mysqlSkipReason();

describe('migrations and table definitions', () => {
  it('MySQL: nothing to generate, and a change would be noticed', async () => {
    const snapshot = lastSnapshot('mysql');
    const current = await generateMySQLDrizzleJson(mysqlSchema, snapshot.id);
    assert.deepEqual(
      await generateMySQLMigration(snapshot, current),
      [],
      'run `npm run db:generate` and commit the migration',
    );

    const stale = structuredClone(snapshot);
    delete stale.tables.trade_day!.columns.source;
    assert.deepEqual(await generateMySQLMigration(stale, current), [
      'ALTER TABLE `trade_day` ADD `source` varchar(32) NOT NULL;',
    ]);
  });

  it('SQLite: nothing to generate, and a change would be noticed', async () => {
    const snapshot = lastSnapshot('sqlite');
    const current = await generateSQLiteDrizzleJson(sqliteSchema, snapshot.id);
    assert.deepEqual(
      await generateSQLiteMigration(snapshot, current),
      [],
      'run `npm run db:generate` and commit the migration',
    );

    const stale = structuredClone(snapshot);
    delete stale.tables.trade_day!.columns.source;
    assert.deepEqual(await generateSQLiteMigration(stale, current), [
      'ALTER TABLE `trade_day` ADD `source` text NOT NULL;',
    ]);
  });

  it('SQLite: the migrations build what the definitions describe', async () => {
    const migrated = new Database(':memory:');
    migrate(drizzle({ client: migrated }), { migrationsFolder: migrationsFolder('sqlite') });
    const fresh = new Database(':memory:');
    const empty = await generateSQLiteDrizzleJson({});
    for (const statement of await generateSQLiteMigration(
      empty,
      await generateSQLiteDrizzleJson(sqliteSchema),
    ))
      fresh.exec(statement);
    try {
      assert.deepEqual(sqliteShape(migrated), sqliteShape(fresh));
      assert.ok(
        sqliteShape(fresh).some((line) => line.startsWith('trade_day column calendar_date')),
      );
    } finally {
      migrated.close();
      fresh.close();
    }
  });

  it('MySQL: the migrations build what the definitions describe', { skip: skipMysql }, async () => {
    const server = mysqlTestServer();
    const [migratedDb, freshDb] = await Promise.all([
      createTestDatabase('migrated'),
      createTestDatabase('fresh'),
    ]);
    const target = mysqlTarget('migrated', server, migratedDb.name);
    const c = await mysql.createConnection({ ...address(server), database: freshDb.name });
    try {
      await target.connect();
      const empty = await generateMySQLDrizzleJson({});
      for (const statement of await generateMySQLMigration(
        empty,
        await generateMySQLDrizzleJson(mysqlSchema),
      ))
        await c.query(statement);
      const [migrated, fresh] = [
        await mysqlShape(c, migratedDb.name),
        await mysqlShape(c, freshDb.name),
      ];
      assert.deepEqual(migrated, fresh);
      assert.ok(fresh.some((line) => line.startsWith('trade_day column calendar_date date NO')));
    } finally {
      await c.end();
      await target.close();
      await Promise.all([migratedDb.drop(), freshDb.drop()]);
    }
  });
});

describe('migrating one database from several clients at once', () => {
  it(
    'lets them take turns: every target comes up, and the migrations run once',
    { skip: skipMysql },
    async () => {
      const server = mysqlTestServer();
      const db = await createTestDatabase('race');
      const targets = [1, 2, 3, 4].map((i) => mysqlTarget(`race${i}`, server, db.name));
      try {
        const connected = await Promise.allSettled(targets.map((t) => t.connect()));
        assert.deepEqual(
          connected.map((c) => (c.status === 'fulfilled' ? 'ok' : String(c.reason))),
          ['ok', 'ok', 'ok', 'ok'],
        );
        const c = await mysql.createConnection({ ...address(server), database: db.name });
        try {
          const [rows] = await c.query<RowDataPacket[]>(
            'SELECT COUNT(*) AS n FROM __drizzle_migrations',
          );
          assert.equal(Number(rows[0]!.n), journalEntries('mysql'));
        } finally {
          await c.end();
        }
      } finally {
        await Promise.all(targets.map((t) => t.close()));
        await db.drop();
      }
    },
  );
});

/** Columns and indexes of every table but the migrator's own, one line each. */
function sqliteShape(db: Database.Database): string[] {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> '__drizzle_migrations' ORDER BY name",
    )
    .all() as Array<{ name: string }>;
  return tables.flatMap(({ name }) => {
    const columns = db.prepare(`PRAGMA table_xinfo("${name}")`).all() as Array<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: unknown;
      pk: number;
    }>;
    const indexes = db.prepare(`PRAGMA index_list("${name}")`).all() as Array<{
      name: string;
      unique: number;
      origin: string;
    }>;
    return [
      ...columns.map(
        (c) =>
          `${name} column ${c.name} ${c.type} notnull=${c.notnull} default=${String(c.dflt_value)} pk=${c.pk}`,
      ),
      ...indexes
        .map((i) => {
          const parts = (
            db.prepare(`PRAGMA index_info("${i.name}")`).all() as Array<{ name: string }>
          ).map((p) => p.name);
          // Automatic indexes are named by position; their content is what matters.
          const label = i.origin === 'c' ? i.name : i.origin;
          return `${name} index ${label} unique=${i.unique} (${parts.join(',')})`;
        })
        .sort(),
    ];
  });
}

async function mysqlShape(c: mysql.Connection, database: string): Promise<string[]> {
  const [columns] = await c.query<RowDataPacket[]>(
    `SELECT TABLE_NAME t, COLUMN_NAME n, COLUMN_TYPE ty, IS_NULLABLE nul, COLUMN_DEFAULT d, EXTRA x FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> '__drizzle_migrations' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const [indexes] = await c.query<RowDataPacket[]>(
    `SELECT TABLE_NAME t, INDEX_NAME i, NON_UNIQUE nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) cols FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> '__drizzle_migrations' GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE ORDER BY TABLE_NAME, INDEX_NAME`,
    [database],
  );
  return [
    ...columns.map((r) =>
      `${r.t} column ${r.n} ${r.ty} ${r.nul} default=${String(r.d)} ${r.x}`.trim(),
    ),
    ...indexes.map((r) => `${r.t} index ${r.i} non_unique=${r.nu} (${r.cols})`),
  ];
}
