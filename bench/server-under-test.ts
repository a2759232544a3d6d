/**
 * The real server (`src/main.ts`) in a process of its own for the load and memory benchmarks, on
 * an SQLite file in a temporary folder, with the GraphQL test components; and its resident memory,
 * read from /proc as the operating system counts it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRAPHQL_COMPONENTS_DIR } from '../test/graphql/support.js';
import { START_NODE_FLAGS, startServerProcess } from '../test/support/server-process.js';
import { writeTestConfig } from '../test/support/test-app.js';

export interface ServerUnderTest {
  url: string;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | string>;
}

/**
 * Starts the server with production-like settings (log level info, 50 ms batches) plus `server`
 * overrides, with the Node flags of `npm start` unless `nodeFlags` says otherwise.
 */
export async function startServerUnderTest(
  server: Record<string, unknown> = {},
  nodeFlags: readonly string[] = START_NODE_FLAGS,
): Promise<ServerUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'fda-bench-server-'));
  writeTestConfig(dir, {
    server: {
      componentsDir: GRAPHQL_COMPONENTS_DIR,
      shutdownGraceSeconds: 10,
      log: { level: 'info', batchMs: 50 },
      ...server,
    },
  });
  const child = await startServerProcess(dir, {}, nodeFlags);
  return {
    url: child.url,
    pid: child.child.pid!,
    output: () => child.output(),
    async stop() {
      const code = await child.stop();
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Resident set size of a process in bytes (`VmRSS` of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
