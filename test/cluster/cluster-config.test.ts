import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadAppConfig } from '../../src/app/config.js';
import { describeRedis } from '../../src/cluster/cluster-config.js';
import { assertSkipLocked, parseServerVersion } from '../../src/cluster/skip-locked-support.js';
import { loadServerConfig } from '../../src/config/server-config.js';
import { ConfigError } from '../../src/errors.js';

describe('server.json cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-cluster-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (server: unknown, env: NodeJS.ProcessEnv = {}) => {
    writeFileSync(join(dir, 'server.json'), JSON.stringify(server));
    return loadServerConfig(dir, env);
  };
  const refusal = (server: unknown, env: NodeJS.ProcessEnv = {}) => {
    try {
      load(server, env);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    assert.fail('accepted');
  };

  it('is absent by default: one process, as before', () => {
    assert.equal(load({}).cluster, undefined);
  });

  it('takes a Redis URL (with ${VAR}) and gives heartbeat 5 s, dead after 30 s by default', () => {
    const config = load(
      { cluster: { redis: '${REDIS_URL}' } },
      { REDIS_URL: 'redis://10.0.0.5:6380/2' },
    );
    assert.deepEqual(config.cluster, {
      redis: 'redis://10.0.0.5:6380/2',
      heartbeatSeconds: 5,
      deadAfterSeconds: 30,
    });
  });

  it('names the field and the problem', () => {
    assert.match(
      refusal({ cluster: { redis: 'http://x' } }),
      /server\.json: cluster\.redis: must be a Redis URL/,
    );
    assert.match(refusal({ cluster: {} }), /cluster\.redis: /);
    assert.match(
      refusal({ cluster: { redis: '${NOPE}' } }),
      /cluster\.redis: environment variable NOPE is not set/,
    );
    assert.match(
      refusal({ cluster: { redis: 'redis://h', heartbeatSeconds: 10, deadAfterSeconds: 15 } }),
      /cluster\.deadAfterSeconds: must be at least twice heartbeatSeconds/,
    );
    assert.match(refusal({ cluster: { redis: 'redis://h', beat: 1 } }), /cluster: .*beat/);
  });

  it('needs a MySQL control target', () => {
    writeFileSync(join(dir, 'server.json'), JSON.stringify({ cluster: { redis: 'redis://h' } }));
    writeFileSync(
      join(dir, 'storage.json'),
      JSON.stringify({ sqlite: { local: { file: 'x.sqlite' } } }),
    );
    assert.throws(
      () => loadAppConfig({ FDA_CONFIG_DIR: dir }),
      /cluster: needs a MySQL\/MariaDB control target .* but "local" is sqlite/,
    );
  });

  it('never shows the Redis password', () => {
    assert.equal(describeRedis('redis://user:secret@h:6379/1'), 'redis://h:6379/1');
  });
});

describe('SKIP LOCKED on the control database', () => {
  it('is in MariaDB from 10.6 and MySQL from 8.0', () => {
    assert.deepEqual(parseServerVersion('10.11.19-MariaDB-0+deb12u1'), {
      flavor: 'MariaDB',
      major: 10,
      minor: 11,
    });
    for (const ok of [
      '10.6.0-MariaDB',
      '11.4.2-MariaDB-log',
      '8.0.36',
      '8.4.0-commercial',
      '9.1.0',
    ])
      assert.doesNotThrow(() => assertSkipLocked(ok), ok);
  });

  it('refuses an older server, naming its version', () => {
    assert.throws(
      () => assertSkipLocked('10.5.23-MariaDB'),
      /SKIP LOCKED, which MariaDB has from 10\.6; the control database is MariaDB 10\.5\.23-MariaDB/,
    );
    assert.throws(
      () => assertSkipLocked('5.7.44-log'),
      /which MySQL has from 8\.0; the control database is MySQL 5\.7\.44-log/,
    );
    assert.throws(() => assertSkipLocked('banana'), /not a MySQL or MariaDB version number/);
  });
});
