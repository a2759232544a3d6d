import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadServerConfig, resolveConfigDir } from '../../src/config/server-config.js';
import { ConfigError } from '../../src/errors.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

describe('conf/server.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'server.json');

  const load = (text: string | null, env: NodeJS.ProcessEnv = {}) => {
    if (text === null) rmSync(file, { force: true });
    else writeFileSync(file, text);
    return loadServerConfig(dir, env);
  };

  it('gives every default when the file is absent, with paths resolved against the config folder', () => {
    const config = load(null);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4000);
    assert.equal(config.maxConcurrentJobs, 4);
    assert.equal(config.timeZone, 'Asia/Shanghai');
    assert.equal(config.componentsDir, join(dir, 'components'));
    assert.equal(config.log.jobLogDir, join(dir, '..', 'logs'));
    assert.equal(config.jobs.batchesInFlightPerEdge, 4);
  });

  it('lets FDA_HOST and FDA_PORT override the file, port 0 included', () => {
    const config = load('{"host":"127.0.0.1","port":4000}', { FDA_HOST: '::1', FDA_PORT: '0' });
    assert.equal(config.host, '::1');
    assert.equal(config.port, 0);
  });

  const bad: Array<[string, string | null, NodeJS.ProcessEnv, RegExp]> = [
    ['broken JSON', '{"port": 4000,', {}, /server\.json: not valid JSON/],
    [
      'a port that is a string',
      '{"port": "4000x"}',
      {},
      /server\.json: port: Invalid input: expected number, received string/,
    ],
    [
      'a port out of range',
      '{"port": 70000}',
      {},
      /server\.json: port: Too big: expected number to be <=65535/,
    ],
    ['a misspelt field', '{"prot": 4000}', {}, /server\.json: \(top level\): unknown field "prot"/],
    [
      'an allowed origin with a path',
      '{"http": {"allowedOrigins": ["https://dash.example.com/app"]}}',
      {},
      /server\.json: http\.allowedOrigins\[0\]: must be an origin: scheme, host and port only/,
    ],
    [
      'an allowed host with a port',
      '{"http": {"allowedHosts": ["fda.internal:4000"]}}',
      {},
      /server\.json: http\.allowedHosts\[0\]: must be a host name/,
    ],
    [
      'a default timeout past 31 days',
      '{"jobs": {"timeoutSeconds": 2678401}}',
      {},
      /server\.json: jobs\.timeoutSeconds: must be at most 2678400 \(31 days\)/,
    ],
    [
      'no job may run',
      '{"maxConcurrentJobs": 0}',
      {},
      /server\.json: maxConcurrentJobs: Too small: expected number to be >=1/,
    ],
    [
      'an unknown time zone',
      '{"timeZone": "Mars/Olympus"}',
      {},
      /server\.json: timeZone: not a known IANA time zone/,
    ],
    [
      'a bad log level',
      '{"log": {"level": "loud"}}',
      {},
      /server\.json: log\.level: Invalid option: expected one of "trace"\|"debug"/,
    ],
    [
      'a nested unknown field',
      '{"jobs": {"retentionDay": 3}}',
      {},
      /server\.json: jobs: unknown field "retentionDay"/,
    ],
    [
      'no room for a batch between streaming steps',
      '{"jobs": {"batchesInFlightPerEdge": 0}}',
      {},
      /server\.json: jobs\.batchesInFlightPerEdge: Too small: expected number to be >=1/,
    ],
    [
      'not an object',
      '[1]',
      {},
      /server\.json: \(top level\): Invalid input: expected object, received array/,
    ],
    [
      'FDA_PORT that is not a number',
      '{}',
      { FDA_PORT: 'http' },
      /FDA_PORT: "http" is not a port number/,
    ],
  ];
  for (const [name, text, env, message] of bad) {
    it(`rejects ${name} with a message naming the file and field`, () => {
      assert.throws(
        () => load(text, env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }

  it('rejects a config folder that does not exist', () => {
    assert.throws(
      () => resolveConfigDir({ FDA_CONFIG_DIR: join(dir, 'nope') }),
      /config folder .*nope does not exist \(from FDA_CONFIG_DIR\)/,
    );
  });

  it('makes the server exit non-zero with that message, and start on a free port with a good file', async () => {
    writeFileSync(file, '{"port": "x"}');
    writeFileSync(
      join(dir, 'storage.json'),
      JSON.stringify({ sqlite: { local: { file: 'control.sqlite' } } }),
    );
    const failing = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, FDA_CONFIG_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    failing.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const [code] = (await once(failing, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(
      stderr,
      /configuration error\n.*server\.json: port: Invalid input: expected number, received string/,
    );

    writeFileSync(file, '{}');
    const server = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, FDA_CONFIG_DIR: dir, FDA_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      server.once('exit', (c) => reject(new Error(`server exited (${c}): ${stdout}`)));
    });
    assert.doesNotMatch(url, /:4000$/);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    server.kill('SIGTERM');
    const [exitCode] = (await once(server, 'exit')) as [number];
    assert.equal(exitCode, 0);
  });
});
