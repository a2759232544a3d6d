/**
 * Without tokens the server listens on loopback only and says so; asked to listen elsewhere it
 * refuses to start, saying why. With tokens it listens where it is told. Real processes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadAppConfig } from '../../src/app/config.js';
import { ConfigError } from '../../src/errors.js';
import { startServerProcess } from '../support/server-process.js';
import { writeTestConfig } from '../support/test-app.js';

/** The log is written asynchronously: wait for a line rather than expecting it with the URL. */
async function untilOutput(output: () => string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) assert.fail(`the output never matched ${pattern}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TOKEN = 'bind-test-token-0123456789abcdef';

/** Runs the server until it exits; resolves with its exit code and output. */
async function runToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, FDA_PORT: '0', FDA_TOKENS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

describe('where the server listens, with and without tokens', () => {
  const dirs: string[] = [];
  const configDir = (server: Record<string, unknown> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-bind-'));
    writeTestConfig(dir, { server });
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to listen beyond loopback without tokens: exit 2 and the reason', async () => {
    const { code, output } = await runToExit({ FDA_CONFIG_DIR: configDir(), FDA_HOST: '0.0.0.0' });
    assert.equal(code, 2, output);
    assert.match(output, /configuration error/);
    assert.match(
      output,
      /FDA_HOST: host "0\.0\.0\.0" is not a loopback address, and no API tokens are configured/,
    );
    assert.match(output, /Configure tokens \(FDA_TOKENS, or auth\.tokensFile in server\.json\)/);

    const dir = configDir({ host: '::' });
    assert.throws(
      () => loadAppConfig({ FDA_CONFIG_DIR: dir }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes('server.json: host: host "::" is not a loopback address'),
    );
  });

  it('listens on loopback without tokens and warns that authentication is off', async () => {
    const server = await startServerProcess(configDir(), { FDA_TOKENS: '' });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      await untilOutput(
        () => server.output(),
        /no API tokens configured: authentication is off, so the server listens on loopback only/,
      );
      const answer = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      assert.equal(answer.status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('listens on every address with tokens, and asks for one', async () => {
    const server = await startServerProcess(configDir(), {
      FDA_HOST: '0.0.0.0',
      FDA_TOKENS: `ops:write:${TOKEN}`,
    });
    try {
      const port = new URL(server.url).port;
      assert.match(server.url, /^http:\/\/0\.0\.0\.0:/);
      await untilOutput(() => server.output(), /API tokens: 1 configured/);
      // Only ever talked to over loopback, wherever it listens.
      const ask = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
      assert.equal((await ask({})).status, 401);
      assert.equal((await ask({ authorization: `Bearer ${TOKEN}` })).status, 200);
      assert.ok(!server.output().includes(TOKEN), 'the token is not printed');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
