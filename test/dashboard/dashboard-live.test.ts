import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { WebSocketRoute } from 'playwright-core';
import { waitForJob } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { openBrowser, type TestBrowser } from './browser.js';

const COMPONENTS = fileURLToPath(new URL('./components', import.meta.url));
const READ = 'dashboard-reader-0123456789';
const WRITE = 'dashboard-writer-0123456789';

describe('the dashboard over a connection that drops, and with tokens', () => {
  let t: TestApp;
  let b: TestBrowser;
  before(async () => {
    t = await startTestApp({
      server: { componentsDir: COMPONENTS },
      env: { FDA_TOKENS: `viewer:read:${READ},operator:write:${WRITE}` },
    });
  });
  after(async () => {
    await t?.destroy();
  });
  beforeEach(async () => {
    b = await openBrowser();
  });
  afterEach(async () => {
    await b?.close();
  });

  it('asks for a token, keeps it in the tab only, and works with it', async () => {
    await b.page.goto(`${t.url}/`);
    await b.page.locator('.error-note', { hasText: 'This server needs an API token' }).waitFor();
    await b.page.fill('input[name=token]', READ);
    await b.page.locator('.token button').click();
    await b.page.locator('[data-testid=target-health] tr', { hasText: 'local' }).waitFor();
    const stored = await b.page.evaluate(() => ({
      session: { ...sessionStorage },
      local: localStorage.length,
      cookie: document.cookie,
    }));
    assert.deepEqual(stored, { session: { 'fda.token': READ }, local: 0, cookie: '' });
    await b.screenshot('token');
    // Before the token, the page's requests were refused (401): the browser logs each one.
    assert.ok(
      b.errors.every((e) => e.includes('401')),
      b.errors.join('\n'),
    );
    // A new tab of the same browser starts without it.
    const other = await b.context.newPage();
    await other.goto(`${t.url}/`);
    assert.equal(await other.evaluate(() => sessionStorage.length), 0);
    await other.close();
  });

  it('resumes the live log from the last line after the WebSocket drops', async () => {
    const sockets: WebSocketRoute[] = [];
    const subscribed: { after?: number }[] = [];
    await b.page.routeWebSocket(/\/graphql$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as {
          type: string;
          payload?: { query?: string; variables?: { after?: number } };
        };
        if (frame.type === 'subscribe' && frame.payload?.query?.includes('jobLogs'))
          subscribed.push({ after: frame.payload.variables?.after });
        server.send(message);
      });
      sockets.push(ws);
    });
    // The tab has the token before the page's first request.
    await b.page.addInitScript((token) => sessionStorage.setItem('fda.token', token), WRITE);
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE}` },
      body: JSON.stringify({
        query: `mutation { submitJob(input: { steps: [
          { name: "lines", componentClassName: "TestPacedLines", componentArguments: { lines: 12, everyMs: 250 } }
        ] }) { ... on Job { id } } }`,
      }),
    });
    const { submitJob } = ((await response.json()) as { data: { submitJob: { id: string } } }).data;
    const id = submitJob.id;
    await b.page.goto(`${t.url}/#/jobs/${id}`);
    const lines = b.page.locator('[data-testid=log-lines] .log-line');
    await lines.filter({ hasText: 'line 2' }).waitFor();
    const before = await lines.evaluateAll((nodes) =>
      nodes.map((n) => Number(n.getAttribute('data-seq'))),
    );
    for (const ws of sockets.splice(0)) {
      await ws.close({ code: 4500, reason: 'the test cut the connection' });
    }
    assert.equal((await t.app.executor.get(id))?.status, 'RUNNING', 'cut while the job runs');
    await b.page.locator('[data-testid=log-count]', { hasText: 'ended' }).waitFor();
    const seqs = await lines.evaluateAll((nodes) =>
      nodes.map((n) => Number(n.getAttribute('data-seq'))),
    );
    const job = await waitForJob(t.app, id);
    assert.deepEqual(
      seqs,
      Array.from({ length: job.logCount }, (_, i) => i + 1),
      'every line once, in order',
    );
    assert.ok(subscribed.length >= 2, `subscribed again: ${JSON.stringify(subscribed)}`);
    assert.equal(subscribed[0]!.after, 0);
    assert.ok(
      subscribed.at(-1)!.after! >= before.at(-1)!,
      `resumed after line ${before.at(-1)}: ${JSON.stringify(subscribed)}`,
    );
    assert.deepEqual(
      b.errors.filter((e) => !e.includes('WebSocket')),
      [],
    );
  });
});
