import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { loadSourcesConfig } from '../../src/config/sources-config.js';

describe('conf/sources.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-sources-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (value: unknown, env: NodeJS.ProcessEnv = {}) => {
    if (value === null) rmSync(join(dir, 'sources.json'), { force: true });
    else writeFileSync(join(dir, 'sources.json'), JSON.stringify(value));
    return loadSourcesConfig(dir, env);
  };

  it('without the file: the public anonymous endpoint, four sessions', () => {
    const config = load(null);
    assert.equal(config.defaultBaoStock, 'public');
    assert.deepEqual(
      config.baostock.map((e) => [e.name, e.host, e.port, e.user, e.sessions]),
      [['public', 'public-api.baostock.com', 10030, 'anonymous', 4]],
    );
  });

  it('reads passwords from the environment and never prints them', () => {
    const config = load(
      { baostock: { desk: { host: 'h', port: '10031', user: 'u', password: '${PW}' } } },
      { PW: 'p4ssw0rd-from-env' },
    );
    const [desk] = config.baostock;
    assert.equal(config.defaultBaoStock, 'desk', 'the only endpoint is the default');
    assert.equal(desk!.port, 10031);
    assert.equal(desk!.password.reveal(), 'p4ssw0rd-from-env');
    assert.ok(!JSON.stringify(config).includes('p4ssw0rd'));
    assert.ok(!inspect(config, { depth: 5 }).includes('p4ssw0rd'));
  });

  const bad: [string, unknown, RegExp][] = [
    ['an unknown field', { baostock: { a: { hots: 'x' } } }, /baostock\.a: unknown field "hots"/],
    [
      'a port out of range',
      { baostock: { a: { port: 70000 } } },
      /baostock\.a\.port: must be at most 65535/,
    ],
    [
      'a separator in the user',
      { baostock: { a: { user: 'a\u0001b' } } },
      /baostock\.a\.user: must not contain the byte 0x01/,
    ],
    [
      'a default that names nothing',
      { default: 'b', baostock: { a: {} } },
      /default: must name one of the endpoints \(a\)/,
    ],
    [
      'several endpoints and no default',
      { baostock: { a: {}, b: {} } },
      /default: must name one of the endpoints \(a, b\); with several endpoints/,
    ],
    ['no endpoint at all', { baostock: {} }, /baostock: names no endpoint/],
    ['a bad name', { baostock: { '1x': {} } }, /must start with a letter/],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name}, naming the field`, () => {
      assert.throws(
        () => load(value),
        (error: Error) => {
          assert.match(error.message, /sources\.json: /);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('a variable that is not set is named', () => {
    assert.throws(
      () => load({ baostock: { a: { password: '${NOPE}' } } }),
      /baostock\.a\.password: environment variable NOPE is not set/,
    );
  });
});
