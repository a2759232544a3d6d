import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHttpRequest, checkUpgrade, corsOptionsFor } from '../../src/auth/browser-boundary.js';

const config = {
  allowedOrigins: ['https://Dash.example.com/'],
  allowedHosts: ['.corp.example', 'fda'],
};
const get = (headers: Record<string, string>) =>
  checkHttpRequest({ method: 'GET', headers }, config);

describe('browser boundary rules', () => {
  it('answers loopback names, IP literals and configured names; nothing else', () => {
    for (const host of [
      '127.0.0.1:4000',
      '[::1]:4000',
      'localhost',
      'x.localhost:1',
      '10.1.2.3',
      'fda:80',
      'corp.example',
      'a.b.corp.example:8080',
    ])
      assert.ok(get({ host }).ok, host);
    for (const host of [
      'evil.example',
      'fda.evil',
      'corp.example.evil',
      'evilcorp.example',
      '[::1',
      'a b',
    ])
      assert.ok(!get({ host }).ok, host);
    assert.deepEqual(get({}), { ok: false, message: 'the request has no Host header' });
  });

  it('an Origin is the server’s own (http or https on the same Host) or a configured one', () => {
    assert.deepEqual(get({ host: 'localhost:4000', origin: 'http://localhost:4000' }), {
      ok: true,
      corsOrigin: null,
    });
    assert.deepEqual(get({ host: 'localhost:4000', origin: 'https://localhost:4000' }), {
      ok: true,
      corsOrigin: null,
    });
    assert.deepEqual(get({ host: 'localhost:4000', origin: 'https://dash.example.com' }), {
      ok: true,
      corsOrigin: 'https://dash.example.com',
    });
    assert.ok(!get({ host: 'localhost:4000', origin: 'http://localhost:4001' }).ok);
    assert.ok(!get({ host: 'localhost:4000', origin: 'null' }).ok, 'a sandboxed page or a file');
  });

  it('a POST needs a JSON body or the CSRF header; an upgrade needs no body rule', () => {
    const post = (headers: Record<string, string>) =>
      checkHttpRequest({ method: 'POST', headers }, config);
    assert.ok(post({ host: 'localhost', 'content-type': 'application/json; charset=utf-8' }).ok);
    assert.ok(post({ host: 'localhost', 'content-type': 'application/graphql-response+json' }).ok);
    assert.ok(post({ host: 'localhost', 'content-type': 'text/plain', 'x-graphql-csrf': '' }).ok);
    assert.ok(!post({ host: 'localhost', 'content-type': 'text/plain' }).ok);
    assert.ok(!post({ host: 'localhost' }).ok);
    assert.ok(checkUpgrade({ method: 'GET', headers: { host: 'localhost' } }, config).ok);
  });

  it('CORS options only for a permitted foreign origin, never with credentials', () => {
    assert.equal(corsOptionsFor({ ok: true, corsOrigin: null }), false);
    assert.equal(corsOptionsFor({ ok: false, message: 'no' }), false);
    const options = corsOptionsFor({ ok: true, corsOrigin: 'https://dash.example.com' });
    assert.ok(options);
    assert.deepEqual(options.origin, ['https://dash.example.com']);
    assert.equal(options.credentials, false);
  });
});
