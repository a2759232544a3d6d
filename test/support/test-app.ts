/**
 * A real app for tests: its own config folder, an SQLite file in a temporary folder, its log
 * captured in memory. Nothing is mocked; only the folder is temporary.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { buildApp, type App } from '../../src/app/build-app.js';
import { loadAppConfig } from '../../src/app/config.js';

export const TEST_COMPONENTS_DIR = fileURLToPath(new URL('../components', import.meta.url));

export interface TestAppOptions {
  server?: Record<string, unknown>;
  storage?: Record<string, unknown>;
  /** conf/sources.json (absent: the public endpoint only). */
  sources?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Reuse a folder (to restart an app on the same database). */
  dir?: string;
}

export interface TestApp {
  app: App;
  dir: string;
  url: string;
  /** Every line the server logged (JSON). */
  logs: string[];
  stop(): Promise<void>;
  /** Stops and deletes the folder. */
  destroy(): Promise<void>;
}

export function writeTestConfig(dir: string, options: TestAppOptions): void {
  writeFileSync(
    join(dir, 'server.json'),
    JSON.stringify({
      port: 0,
      componentsDir: TEST_COMPONENTS_DIR,
      log: { level: 'info', batchMs: 10 },
      shutdownGraceSeconds: 2,
      fillEmptyCalendarOnStart: false,
      ...options.server,
    }),
  );
  if (options.sources) writeFileSync(join(dir, 'sources.json'), JSON.stringify(options.sources));
  writeFileSync(
    join(dir, 'storage.json'),
    JSON.stringify(options.storage ?? { sqlite: { local: { file: 'control.sqlite' } } }),
  );
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fda-test-'));
  if (!options.dir) writeTestConfig(dir, options);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadAppConfig({ ...options.env, FDA_CONFIG_DIR: dir });
  const app = buildApp(config, { logDestination: destination });
  const { url } = await app.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.stop();
  };
  return {
    app,
    dir,
    url,
    logs,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
