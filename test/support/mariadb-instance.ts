/**
 * Starts a MariaDB server of the test's own (own data directory, own port) so a test can kill it,
 * restart it, give it a small max_allowed_packet, or read its global status counters without any
 * other test's traffic mixed in.
 */
import { spawn, type ChildProcess, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

export interface MariadbInstanceOptions {
  /** Extra server options, e.g. `--max-allowed-packet=65536`. */
  serverArgs?: string[];
}

export interface MariadbInstance {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The server process while it runs (benchmarks read its CPU time from /proc). */
  readonly pid: number | undefined;
  /** SIGKILL: the server dies mid-whatever, like a crash or a pulled cable. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
  /** A global status counter (e.g. `Com_insert`, `Questions`). */
  status(name: string): Promise<number>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startMariadbInstance(
  options: MariadbInstanceOptions = {},
): Promise<MariadbInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'fda-mariadb-'));
  const dataDir = join(dir, 'data');
  // Each instance keeps its temporary files in its own folder: the bootstrap's temporary tables
  // in a shared /tmp have been seen to collide when two test files install at the same time.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--tmpdir=${tmp}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const proc = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--tmpdir=${tmp}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        '--user=root',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=64M',
        '--local-infile=1',
        ...(options.serverArgs ?? []),
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null)
        throw new Error(`mariadbd exited with code ${proc.exitCode} (data dir ${dataDir})`);
      try {
        const c = await mysql.createConnection({
          host: '127.0.0.1',
          port,
          user: 'root',
          connectTimeout: 1000,
        });
        await c.end();
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `mariadbd on port ${port} did not answer within 30 s: ${(error as Error).message}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function kill(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    password: '',
    get pid() {
      return child?.pid;
    },
    kill,
    start,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    async status(name: string) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      try {
        const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW GLOBAL STATUS LIKE ?', [name]);
        return Number(rows[0]?.Value ?? NaN);
      } finally {
        await c.end();
      }
    },
  };
}
