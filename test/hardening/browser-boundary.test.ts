/**
 * What a web page in the operator's browser can make the server do, on the shipped defaults (no
 * tokens, loopback only): nothing, unless it is the server's own page or an origin server.json
 * allows. Requests are sent as a browser would send them, over real sockets.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { TestApp } from '../support/test-app.js';
import { wsUrl } from '../graphql/support.js';
import { startHardeningApp } from './support.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host and Origin are exactly what the test says. */
function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/graphql',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The message of a refusal (GraphQL's error shape). */
const refusal = (answer: Answer) =>
  (JSON.parse(answer.body) as { errors: { message: string }[] }).errors[0]!.message;

const MUTATION = 'mutation { reloadComponents { name } }';
const SUBMIT =
  'mutation { submitJob(input: { steps: [{ name: "p", componentClassName: "TestRowsProducer" }] }) { __typename } }';

describe('the browser boundary', () => {
  let t: TestApp;
  let host: string;
  before(async () => {
    t = await startHardeningApp({
      server: {
        http: { allowedOrigins: ['https://dash.example.com'], allowedHosts: ['fda.internal'] },
        limits: { maxBodyBytes: 4096 },
      },
    });
    host = new URL(t.url).host;
  });
  after(async () => t?.destroy());

  const jobCount = async () => (await t.app.store.list({ limit: 1000 })).length;

  it('a cross-origin HTML form POST (urlencoded) runs no mutation: 403', async () => {
    const before = await jobCount();
    for (const query of [SUBMIT, MUTATION]) {
      const answer = await send(t.url, {
        method: 'POST',
        headers: {
          host,
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `query=${encodeURIComponent(query)}`,
      });
      assert.equal(answer.status, 403);
      assert.match(refusal(answer), /origin "https:\/\/evil\.example" are not allowed/);
      assert.match(refusal(answer), /http\.allowedOrigins/);
    }
    assert.equal(await jobCount(), before);
  });

  it('a form without an Origin (old browsers), or text/plain from a page, is refused too: 403', async () => {
    const before = await jobCount();
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const answer = await send(t.url, {
        method: 'POST',
        headers: { host, 'content-type': type },
        body:
          type === 'text/plain'
            ? JSON.stringify({ query: SUBMIT })
            : `query=${encodeURIComponent(SUBMIT)}`,
      });
      assert.equal(answer.status, 403, type);
      assert.match(refusal(answer), /must send its body as application\/json/);
    }
    const crossPlain = await send(t.url, {
      method: 'POST',
      headers: { host, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ query: SUBMIT }),
    });
    assert.equal(crossPlain.status, 403);
    assert.equal(await jobCount(), before);
  });

  it('a preflight from a foreign origin is not allowed, and nothing is reflected', async () => {
    const answer = await send(t.url, {
      method: 'OPTIONS',
      headers: {
        host,
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
    assert.equal(answer.headers['access-control-allow-credentials'], undefined);
  });

  it('an allowed origin gets CORS for itself, without credentials', async () => {
    const preflight = await send(t.url, {
      method: 'OPTIONS',
      headers: {
        host,
        origin: 'https://dash.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://dash.example.com');
    assert.equal(preflight.headers['access-control-allow-credentials'], undefined);
    const query = await send(t.url, {
      method: 'POST',
      headers: { host, origin: 'https://dash.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.equal(query.status, 200);
    assert.equal(query.headers['access-control-allow-origin'], 'https://dash.example.com');
  });

  it('the server’s own pages keep working: GraphiQL and its same-origin JSON POSTs', async () => {
    const page = await send(t.url, { headers: { host, accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>finance-data-api<\/title>/);
    const own = await send(t.url, {
      method: 'POST',
      headers: { host, origin: `http://${host}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: SUBMIT }),
    });
    assert.equal(own.status, 200);
    assert.match(own.body, /"__typename":"Job"/);
    assert.equal(own.headers['access-control-allow-origin'], undefined, 'no CORS for itself');
    // Host names the operator configured, and names of loopback, are answered.
    for (const name of ['fda.internal:4000', `localhost:${new URL(t.url).port}`, 'app.localhost']) {
      const answer = await send(t.url, { headers: { host: name, accept: 'text/html' } });
      assert.equal(answer.status, 200, name);
    }
  });

  it('Host: evil.example (DNS rebinding) is refused over HTTP, for every route', async () => {
    for (const path of ['/graphql', '/health', '/graphiql/graphiql.css']) {
      const answer = await send(t.url, { path, headers: { host: 'evil.example:4000' } });
      assert.equal(answer.status, 403, path);
      assert.match(
        refusal(answer),
        /Host "evil\.example:4000" is not a name this server answers to/,
      );
      assert.match(refusal(answer), /http\.allowedHosts/);
    }
    const post = await send(t.url, {
      method: 'POST',
      headers: { host: 'evil.example:4000', 'content-type': 'application/json' },
      body: JSON.stringify({ query: SUBMIT }),
    });
    assert.equal(post.status, 403);
  });

  it('the WebSocket upgrade checks Host and Origin', async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(wsUrl(t.url), 'graphql-transport-ws', { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode!);
          ws.terminate();
        });
        ws.on('open', () => reject(new Error(`opened with ${JSON.stringify(headers)}`)));
        ws.on('error', () => undefined);
      });
    assert.equal(await refused({ host: 'evil.example:4000' }), 403);
    assert.equal(await refused({ origin: 'https://evil.example' }), 403);
    const opened = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(wsUrl(t.url), 'graphql-transport-ws', {
        headers: { origin: `http://${host}` },
      });
      ws.on('open', () => {
        ws.close();
        resolve(true);
      });
      ws.on('error', () => resolve(false));
    });
    assert.ok(opened, 'the server’s own origin may open one');
  });

  it('a WebSocket frame over the body limit closes the socket (1009) before anything is parsed', async () => {
    const ws = new WebSocket(wsUrl(t.url), 'graphql-transport-ws');
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(100_000));
    assert.equal(await closed, 1009);
  });
});
