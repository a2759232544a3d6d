/**
 * Access to the real MariaDB for tests. The server comes from FDA_TEST_MYSQL_URL (default
 * mysql://root@127.0.0.1:3306). When it cannot be reached, MySQL suites are skipped with a loud
 * banner, unless CI (or FDA_REQUIRE_MYSQL) is set: then they fail, because a CI run that quietly
 * skipped the database tests would prove nothing.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function mysqlTestServer(): MysqlServer {
  const url = new URL(process.env.FDA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  };
}

const required = Boolean(process.env.CI || process.env.FDA_REQUIRE_MYSQL);

/**
 * Resolves to `false` when the suite should run, or to the reason to skip it. Use as
 * `describe('…', { skip: await mysqlSkipReason() }, …)`.
 */
export async function mysqlSkipReason(): Promise<string | false> {
  const server = mysqlTestServer();
  try {
    const connection = await mysql.createConnection({ ...server, connectTimeout: 3000 });
    await connection.end();
    return false;
  } catch (error) {
    const reason = `MySQL at ${server.host}:${server.port} is not reachable (${(error as Error).message})`;
    if (required)
      throw new Error(`${reason}; MySQL suites are required here (CI or FDA_REQUIRE_MYSQL is set)`);
    console.error(
      `\n${'!'.repeat(78)}\n!! SKIPPING MySQL SUITES: ${reason}.\n!! Set FDA_TEST_MYSQL_URL or start MariaDB; CI never skips them.\n${'!'.repeat(78)}\n`,
    );
    return `SKIPPED: ${reason}`;
  }
}

/** Creates a fresh database for one test file; `drop()` removes it. */
export async function createTestDatabase(
  prefix: string,
  server = mysqlTestServer(),
): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `fda_test_${prefix}_${randomBytes(4).toString('hex')}`;
  const connection = await mysql.createConnection({ ...server });
  try {
    await connection.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await connection.end();
  }
  return {
    name,
    async drop() {
      const c = await mysql.createConnection({ ...server });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
