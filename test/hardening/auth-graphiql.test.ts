/**
 * GraphiQL with no internet and with tokens: every script, style sheet, worker and icon the page
 * uses is served by our own server (no CDN), and when tokens are configured the page has a token
 * field whose value goes with every request, subscriptions (sent as server-sent events) included.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** Every URL the page loads by itself: src and href attributes, and the editor workers' URLs. */
function urlsOf(html: string): string[] {
  const attributes = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  const workers = [...html.matchAll(/"(\/graphiql\/[a-z.]+\.worker\.js)"/g)].map((m) => m[1]!);
  return [...new Set([...attributes, ...workers])];
}

describe('GraphiQL, served whole by the server', () => {
  let open: TestApp;
  let closed: TestApp;
  before(async () => {
    open = await startTestApp();
    closed = await startTestApp({
      env: { FDA_TOKENS: 'ops:write:graphiql-test-token-0123456789' },
    });
  });
  after(async () => {
    await open.destroy();
    await closed.destroy();
  });

  it('loads nothing from elsewhere: every script, style sheet, worker and icon is ours', async () => {
    const page = await fetch(`${open.url}/graphql`, { headers: HTML });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(!/unpkg|jsdelivr|cdn\./i.test(html), 'no CDN');
    const urls = urlsOf(html);
    assert.deepEqual(urls.sort(), [
      '/graphiql/editor.worker.js',
      '/graphiql/favicon.ico',
      '/graphiql/graphiql.css',
      '/graphiql/graphiql.js',
      '/graphiql/graphql.worker.js',
      '/graphiql/json.worker.js',
    ]);
    const types: Record<string, RegExp> = {
      js: /^text\/javascript/,
      css: /^text\/css/,
      ico: /^image\/x-icon$/,
    };
    for (const url of urls) {
      const asset = await fetch(`${open.url}${url}`);
      assert.equal(asset.status, 200, url);
      assert.match(asset.headers.get('content-type') ?? '', types[url.split('.').pop()!]!, url);
      assert.ok((await asset.arrayBuffer()).byteLength > 1000, `${url} has content`);
    }
    // The page drives the bundle it loads: the global the script defines is the one it calls.
    const script = await (await fetch(`${open.url}/graphiql/graphiql.js`)).text();
    assert.match(script, /YogaGraphiQL/);
    assert.match(html, /YogaGraphiQL\.renderYogaGraphiQL\(/);
    assert.match(html, /"subscriptionsProtocol":"SSE"/);
    for (const name of ['SubmitTradeDayJob', 'FollowJobStatus', 'FollowJobLogs', 'ListComponents'])
      assert.ok(html.includes(name), name);
    assert.match(
      html,
      /"initialVariables":"\{\\n {2}\\"document\\"/,
      'the first tab opens with its variables',
    );
  });

  it('serves the assets gzipped when asked, with validators, and nothing else under its path', async () => {
    const plain = await fetch(`${open.url}/graphiql/graphiql.css`);
    const css = Buffer.from(await plain.arrayBuffer());
    const etag = plain.headers.get('etag');
    assert.ok(etag);
    // fetch decodes gzip by itself; node's http client does not, so read the raw bytes through it.
    const { request } = await import('node:http');
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>(
      (resolve, reject) => {
        request(
          `${open.url}/graphiql/graphiql.css`,
          { headers: { 'accept-encoding': 'gzip' } },
          (response) => {
            const chunks: Buffer[] = [];
            response
              .on('data', (c: Buffer) => chunks.push(c))
              .on('end', () =>
                resolve({
                  encoding: response.headers['content-encoding'],
                  body: Buffer.concat(chunks),
                }),
              );
          },
        )
          .on('error', reject)
          .end();
      },
    );
    assert.equal(raw.encoding, 'gzip');
    assert.ok(raw.body.length < css.length, 'smaller gzipped');
    assert.deepEqual(gunzipSync(raw.body), css);
    assert.equal(
      (await fetch(`${open.url}/graphiql/graphiql.css`, { headers: { 'if-none-match': etag } }))
        .status,
      304,
    );
    assert.equal((await fetch(`${open.url}/graphiql/nothing.js`)).status, 404);
    const post = { method: 'POST', headers: { 'x-graphql-csrf': '1' } };
    assert.equal((await fetch(`${open.url}/graphiql/graphiql.js`, post)).status, 405);
  });

  it('has a token field that goes with every request when tokens are configured, and none otherwise', async () => {
    const withTokens = await (await fetch(`${closed.url}/graphql`, { headers: HTML })).text();
    assert.match(withTokens, /<input id="fda-token" type="password"/);
    assert.match(withTokens, /options\.additionalHeaders = \(\) => \{/);
    assert.match(withTokens, /Authorization: 'Bearer ' \+ token/);
    const without = await (await fetch(`${open.url}/graphql`, { headers: HTML })).text();
    assert.ok(!without.includes('fda-token'), 'no token field when none is needed');
    // The page and its assets need no token; the API behind them does.
    assert.equal((await fetch(`${closed.url}/graphiql/graphiql.css`)).status, 200);
    const api = await fetch(`${closed.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    assert.equal(api.status, 401);
  });
});
