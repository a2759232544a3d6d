import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadStorageConfig } from '../../src/config/storage-config.js';
import { ConfigError } from '../../src/errors.js';
import { startTestApp, writeTestConfig } from '../support/test-app.js';

describe('conf/storage.json', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fda-storage-config-'));
    file = join(dir, 'storage.json');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const load = (text: string, env: NodeJS.ProcessEnv = {}) => {
    writeFileSync(file, text);
    return loadStorageConfig(dir, env);
  };
  const failsWith = (text: string, message: string, env: NodeJS.ProcessEnv = {}) =>
    assert.throws(
      () => load(text, env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, message);
        return true;
      },
    );

  it('accepts the original system’s shape: cursorClass ignored, ${VAR} anywhere, passwords wrapped', () => {
    const config = load(
      JSON.stringify({
        mysql: {
          db: {
            host: '${DB_HOST}',
            port: '${DB_PORT}',
            user: 'u',
            password: '${DB_PASSWORD}',
            database: 'finance',
            charset: 'utf8mb4',
            cursorClass: 'pymysql.cursors.DictCursor',
          },
        },
        sqlite: { local: { file: 'local.sqlite' } },
      }),
      { DB_HOST: 'db.example', DB_PORT: '3307', DB_PASSWORD: 's3cret' },
    );
    assert.equal(
      config.control,
      'local',
      'the embedded database holds jobs unless `control` says otherwise',
    );
    const [db, local] = config.targets;
    assert.ok(db?.dialect === 'mysql' && local?.dialect === 'sqlite');
    assert.deepEqual(
      [db.host, db.port, db.database, db.password.reveal(), String(db.password)],
      ['db.example', 3307, 'finance', 's3cret', '[redacted]'],
    );
    assert.deepEqual(db.pool, {
      connectionLimit: 4,
      connectTimeoutMs: 10_000,
      queryTimeoutMs: 120_000,
    });
    assert.equal(local.file, join(dir, 'local.sqlite'));
    assert.equal(db.bulkLoad, 'auto', 'LOAD DATA when the server allows it, unless told otherwise');
    assert.ok(!JSON.stringify(config).includes('s3cret'));
  });

  it('bulkLoad is "auto", "off" or "on", per MySQL target', () => {
    const target = (bulkLoad: unknown) =>
      JSON.stringify({ mysql: { db: { user: 'u', database: 'finance', bulkLoad } } });
    for (const mode of ['auto', 'off', 'on']) {
      const [db] = load(target(mode)).targets;
      assert.equal(db?.dialect === 'mysql' && db.bulkLoad, mode);
    }
    failsWith(target('yes'), `${file}: mysql.db.bulkLoad: must be "auto", "off" or "on"`);
    failsWith(target(true), `${file}: mysql.db.bulkLoad: must be "auto", "off" or "on"`);
  });

  it('conf/storage.mysql.example.json loads once its variables are set', () => {
    const example = readFileSync(
      new URL('../../conf/storage.mysql.example.json', import.meta.url),
      'utf8',
    );
    const env = {
      MYSQL_HOST: 'db.example',
      MYSQL_PORT: '3306',
      MYSQL_USER: 'finance',
      MYSQL_PASSWORD: 'pw-1',
      MYSQL_REPLICA_HOST: 'replica.example',
      MYSQL_REPLICA_USER: 'finance_ro',
      MYSQL_REPLICA_PASSWORD: 'pw-2',
    };
    const config = load(example, env);
    assert.equal(config.control, 'control');
    assert.deepEqual(
      config.targets.map((t) => [
        t.name,
        t.dialect,
        t.dialect === 'mysql' ? `${t.user}@${t.host}:${t.port}/${t.database}` : t.file,
      ]),
      [
        ['control', 'mysql', 'finance@db.example:3306/finance_control'],
        ['primary', 'mysql', 'finance@db.example:3306/finance_data'],
        ['replica', 'mysql', 'finance_ro@replica.example:3306/finance_data'],
      ],
    );
    failsWith(
      example,
      `${file}: mysql.control.host: environment variable MYSQL_HOST is not set`,
      {},
    );
  });

  it('a missing ${VAR} names the variable and where it is used', () => {
    failsWith(
      JSON.stringify({
        mysql: { db: { user: 'u', password: '${FDA_TEST_UNSET_VARIABLE}', database: 'd' } },
      }),
      `${file}: mysql.db.password: environment variable FDA_TEST_UNSET_VARIABLE is not set`,
    );
  });

  it('a file that is not JSON says so, with the parser’s reason', () => {
    const text = '{ "mysql": { "db": { "user": "u", "database": "d" ';
    let reason = '';
    try {
      JSON.parse(text);
    } catch (error) {
      reason = (error as Error).message;
    }
    failsWith(text, `${file}: not valid JSON: ${reason}`);
  });

  it('a syntax error next to a password does not quote the password', () => {
    assert.throws(
      () => load('{ "mysql": { "db": { "user": "u", "database": "d", "password": hunter2 } } }'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^.*storage\.json: not valid JSON: Unexpected token/);
        assert.ok(!error.message.includes('hunter2'), error.message);
        return true;
      },
    );
  });

  it('every invalid field is named, one per line', () => {
    failsWith(
      JSON.stringify({
        mysql: {
          db: {
            user: 'u',
            database: 'bad-name',
            port: 'abc',
            pool: { connectionLimit: 0 },
            extra: 1,
          },
        },
      }),
      [
        `${file}: mysql.db.port: must be a whole number (or a string of digits)`,
        `${file}: mysql.db.database: must be 1 to 64 letters, digits, _ or $`,
        `${file}: mysql.db.pool.connectionLimit: must be at least 1`,
        `${file}: mysql.db: unknown field "extra"`,
      ].join('\n'),
    );
    failsWith(
      JSON.stringify({ sqlite: { local: { file: 'a.sqlite' } }, control: 'remote' }),
      `${file}: control: names no configured target (known: local)`,
    );
    failsWith(
      '{}',
      `${file}: (top level): no storage targets: add at least one under "mysql" or "sqlite"`,
    );
  });

  it('stops the server from starting, with the same message', async () => {
    const appDir = mkdtempSync(join(tmpdir(), 'fda-storage-config-app-'));
    try {
      writeTestConfig(appDir, {
        storage: { sqlite: { local: { file: '${FDA_TEST_UNSET_VARIABLE}' } } },
      });
      await assert.rejects(startTestApp({ dir: appDir }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          `${join(appDir, 'storage.json')}: sqlite.local.file: environment variable FDA_TEST_UNSET_VARIABLE is not set`,
        );
        return true;
      });
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });
});
