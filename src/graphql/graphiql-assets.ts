import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

/** Where the page's script, style sheet, editor workers and icon are served from (by this server). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

/** What `@graphql-yoga/render-graphiql/graphiql` exports: each asset as a string. */
type AssetModule = Record<
  'js' | 'css' | 'editorWorkerService' | 'jsonWorker' | 'graphqlWorker' | 'favicon',
  string
>;

const ASSETS: Record<string, { from: keyof AssetModule; type: string }> = {
  'graphiql.js': { from: 'js', type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { from: 'css', type: 'text/css; charset=utf-8' },
  'editor.worker.js': { from: 'editorWorkerService', type: 'text/javascript; charset=utf-8' },
  'json.worker.js': { from: 'jsonWorker', type: 'text/javascript; charset=utf-8' },
  'graphql.worker.js': { from: 'graphqlWorker', type: 'text/javascript; charset=utf-8' },
  'favicon.ico': { from: 'favicon', type: 'image/x-icon' },
};

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

const gzipAsync = promisify(gzip);

/** The favicon comes as a `data:` URI; the rest as text. */
function bytesOf(text: string): Buffer {
  const data = /^data:[^;,]+;base64,(.*)$/s.exec(text);
  return data ? Buffer.from(data[1]!, 'base64') : Buffer.from(text, 'utf8');
}

/**
 * GraphiQL's assets from the `@graphql-yoga/render-graphiql` package, served by this server, so the
 * page works on a machine with no internet (Yoga's default page loads them from a CDN). The package
 * holds about 9 MB of text: it is loaded on the first request for an asset, not at start-up, and
 * each asset is kept gzipped too.
 */
export function useGraphiQLAssets(): Plugin {
  let loading: Promise<Map<string, Asset>> | undefined;
  const load = async (): Promise<Map<string, Asset>> => {
    const module =
      (await import('@graphql-yoga/render-graphiql/graphiql')) as unknown as AssetModule;
    const assets = new Map<string, Asset>();
    for (const [name, { from, type }] of Object.entries(ASSETS)) {
      const body = bytesOf(module[from]);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      assets.set(name, { type, body, gzipped: await gzipAsync(body), etag });
    }
    return assets;
  };
  return {
    async onRequest(event) {
      const { request, url, fetchAPI } = event;
      const endResponse = (response: Response) => event.endResponse(response);
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const name = url.pathname.slice(GRAPHIQL_ASSETS_PATH.length);
      if (!Object.hasOwn(ASSETS, name)) {
        endResponse(
          new fetchAPI.Response('not found\n', {
            status: 404,
            headers: { 'content-type': 'text/plain' },
          }),
        );
        return;
      }
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      const asset = (await loading).get(name)!;
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'cache-control': 'public, max-age=3600',
        etag: asset.etag,
        vary: 'accept-encoding',
      };
      if (request.headers.get('if-none-match') === asset.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      const gzipped = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
      const body = gzipped ? asset.gzipped : asset.body;
      if (gzipped) headers['content-encoding'] = 'gzip';
      headers['content-length'] = String(body.length);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers,
        }),
      );
    },
  };
}
