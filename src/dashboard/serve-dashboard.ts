import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:dashboard` (run by `npm install`) writes the dashboard. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(
  new URL('../../dist/dashboard', import.meta.url),
);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Only our own files run in the page, and it may talk only to this server (fetch and WebSocket);
 * no other site may frame it. Styles set from script (Preact's `style`, uPlot) are not inline
 * style attributes, so no 'unsafe-inline' is needed.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Built asset names are Vite's `name-hash.ext`: nothing else, and no path, is served. */
const ASSET = /^\/assets\/([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(js|css|svg|png|woff2))$/;

/** Whether the request is the dashboard's: `/`, `/index.html` or one of its built assets. */
export function isDashboardRequest(request: IncomingMessage): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = (request.url ?? '').split('?')[0]!;
  return path === '/' || path === '/index.html' || ASSET.test(path);
}

/**
 * Serves the built dashboard from the server's own files (no network). When the build is
 * missing, `/` answers 503 with a page that says how to build it.
 */
export async function serveDashboard(
  dir: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '').split('?')[0]!;
  const asset = ASSET.exec(path);
  const file = asset ? join(dir, 'assets', asset[1]!) : join(dir, 'index.html');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    if (asset) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const page = missingBuildPage(dir);
    response
      .writeHead(503, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': '60',
        ...SECURITY_HEADERS,
      })
      .end(request.method === 'HEAD' ? undefined : page);
    return;
  }
  const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  response
    .writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      // Asset names carry their content's hash; the page itself must be asked for every time.
      'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    })
    .end(request.method === 'HEAD' ? undefined : body);
}

function missingBuildPage(dir: string): string {
  const escaped = dir.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dashboard not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The dashboard is not built</h1>
<p>This server serves its dashboard from <code>${escaped}</code>, which does not exist.
<code>npm install</code> builds it (its <code>prepare</code> script); to build it by hand run
<code>npm run build:dashboard</code>, then reload this page.</p>
<p>The API works without it: <a href="/graphql">GraphiQL</a>, <a href="/health">/health</a>,
<a href="/metrics">/metrics</a>.</p>
</body></html>
`;
}
