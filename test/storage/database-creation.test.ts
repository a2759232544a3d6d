/**
 * A database that does not exist yet: created on first use when `createDatabase` is on and the user
 * may create it; otherwise a clear error that says what to do.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pino from 'pino';
import { Secret } from '../../src/config/secret.js';
import { MysqlTarget } from '../../src/storage/mysql-target.js';
import { mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { MIGRATED_TABLES } from './helpers.js';

const server = mysqlTestServer();
const suffix = randomBytes(4).toString('hex');
const database = `fda_test_created_${suffix}`;
const user = `fda_nocreate_${suffix}`;
const password = randomBytes(12).toString('base64url');

function target(options: {
  user?: string;
  password?: string;
  createDatabase: boolean;
  database?: string;
}): MysqlTarget {
  return new MysqlTarget(
    {
      dialect: 'mysql',
      name: 'fresh',
      host: server.host,
      port: server.port,
      user: options.user ?? server.user,
      password: new Secret(options.password ?? server.password),
      database: options.database ?? database,
      charset: 'utf8mb4',
      createDatabase: options.createDatabase,
      pool: { connectionLimit: 2, connectTimeoutMs: 3000, queryTimeoutMs: 30_000 },
      bulkLoad: 'auto',
    },
    pino({ level: 'silent' }),
  );
}

describe('a MySQL database that does not exist yet', { skip: await mysqlSkipReason() }, () => {
  let admin: mysql.Connection;
  before(async () => {
    admin = await mysql.createConnection({ ...server });
    await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, 'localhost', password]);
  });
  after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query('DROP USER IF EXISTS ?@?, ?@?', [user, '%', user, 'localhost']);
    await admin.end();
  });

  it('is refused with what to do when createDatabase is false', async () => {
    const t = target({ createDatabase: false });
    await assert.rejects(
      t.connect(),
      new RegExp(`database "${database}" does not exist and createDatabase is false: create it`),
    );
    assert.equal(t.state.reachable, false);
    await t.close();
  });

  it('is refused with what to do when the user may not create it', async () => {
    const t = target({ user, password, createDatabase: true });
    await assert.rejects(
      t.connect(),
      new RegExp(
        `cannot create database "${database}": this user may not \\(Access denied for user`,
      ),
    );
    await t.close();
  });

  it('is created and migrated when the user may', async () => {
    const t = target({ createDatabase: true });
    await t.connect();
    const [tables] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
      [database],
    );
    assert.deepEqual(tables.map((r) => r.name as string).sort(), MIGRATED_TABLES);
    await t.close();
  });
});
