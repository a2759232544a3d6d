import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { rawGet } from '../support/raw-http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { scrape } from './support.js';

const READ = 'reader-token-0123456789abcdef';
const WRITE = 'writer-token-0123456789abcdef';
const TOKENS = `dash:read:${READ},ops:write:${WRITE}`;

/** An address of this machine that is not loopback, so a request to it does not come from loopback. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

describe('who may read /metrics', () => {
  let local: TestApp;
  before(async () => {
    local = await startTestApp({ env: { FDA_TOKENS: TOKENS } });
  });
  after(async () => {
    await local.destroy();
  });

  it('is open on loopback, even when tokens are configured', async () => {
    const families = await scrape(local.url);
    assert.ok(families.has('fda_jobs_total'));
  });

  it('still checks Host at the browser boundary first', async () => {
    const answer = await rawGet(local.url, '/metrics', { host: 'evil.example:4000' });
    assert.equal(answer.status, 403);
    const { errors } = JSON.parse(answer.body) as { errors: { message: string }[] };
    assert.match(
      errors[0]!.message,
      /^Host "evil\.example:4000" is not a name this server answers to/,
    );
  });

  const address = externalAddress();
  it(
    'needs a token with the read scope from any other address',
    { skip: address ? false : 'this machine has no address but loopback' },
    async () => {
      const t = await startTestApp({ server: { host: address }, env: { FDA_TOKENS: TOKENS } });
      try {
        const anonymous = await fetch(`${t.url}/metrics`);
        assert.equal(anonymous.status, 401);
        assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="finance-data-api"');
        assert.match(await anonymous.text(), /^\/metrics from \S+: authentication required/);
        const wrong = await fetch(`${t.url}/metrics`, {
          headers: { authorization: 'Bearer not-a-configured-token-at-all' },
        });
        assert.equal(wrong.status, 401);
        assert.ok((await scrape(t.url, { authorization: `Bearer ${READ}` })).has('fda_jobs_total'));
        assert.ok(
          (await scrape(t.url, { authorization: `Bearer ${WRITE}` })).has('fda_jobs_total'),
        );
      } finally {
        await t.destroy();
      }
    },
  );
});
