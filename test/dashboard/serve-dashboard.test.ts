import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { buildApp, type App } from '../../src/app/build-app.js';
import { loadAppConfig } from '../../src/app/config.js';
import { DEFAULT_DASHBOARD_DIR } from '../../src/dashboard/serve-dashboard.js';
import { rawGet } from '../support/raw-http.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';

describe('the dashboard served at /', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.destroy();
  });

  it('serves the built page and its assets from the server’s own files, with a strict CSP', async () => {
    const page = await fetch(`${t.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      /script-src 'self';.*connect-src 'self'/,
    );
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    const [script] = /\/assets\/[\w.-]+\.js/.exec(html) ?? [];
    assert.ok(script, html);
    const asset = await fetch(`${t.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const files = await readdir(join(DEFAULT_DASHBOARD_DIR, 'assets'));
    assert.ok(files.includes(script.slice('/assets/'.length)));
  });

  it('runs the browser boundary first, for the page and its assets', async () => {
    for (const path of ['/', '/assets/index.js']) {
      const answer = await rawGet(t.url, path, { host: 'evil.example:4000' });
      assert.equal(answer.status, 403, path);
    }
  });

  it('serves nothing outside its folder', async () => {
    for (const path of [
      '/assets/../index.html',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/x/y.js',
      '/package.json',
    ]) {
      const answer = await rawGet(t.url, path);
      assert.notEqual(answer.status, 200, path);
      assert.ok(!answer.body.includes('"dependencies"'), path);
    }
  });
});

describe('a server whose dashboard is not built', () => {
  let app: App;
  let dir: string;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fda-no-dashboard-'));
    writeTestConfig(dir, {});
    const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    app = buildApp(loadAppConfig({ FDA_CONFIG_DIR: dir }), {
      logDestination: quiet,
      dashboardDir: join(dir, 'no-such-build'),
    });
    ({ url } = await app.start());
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with a 503 page that says how to build it, and the API still works', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 503);
    const html = await page.text();
    assert.match(html, /The dashboard is not built/);
    assert.match(html, /npm run build:dashboard/);
    const api = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ schedules { name } }' }),
    });
    assert.equal(api.status, 200);
  });
});
