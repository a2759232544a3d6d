import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessControl } from '../auth/access-control.js';
import { bearerCredential } from '../auth/credentials.js';
import { isLoopbackHost } from '../auth/loopback.js';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics` in Prometheus' text format. A scraper on this machine needs nothing; from
 * anywhere else the request must carry a token with the `read` scope, because queue depths and
 * target names tell an outsider what runs here. (The browser boundary has already checked Host
 * and Origin, so a web page cannot make a local browser fetch this for it.)
 */
export async function handleMetrics(
  registry: Registry,
  access: AccessControl,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const remote = request.socket.remoteAddress ?? '';
  if (!isLoopbackHost(remote) && access.enabled) {
    const authentication = access.authenticate(bearerCredential(request.headers.authorization));
    const error = authentication.ok
      ? access.authorize(authentication.principal, 'query')
      : authentication.error;
    if (error) {
      const status = error.extensions.http?.status ?? 403;
      response
        .writeHead(status, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          ...(status === 401 ? { 'www-authenticate': 'Bearer realm="finance-data-api"' } : {}),
        })
        .end(`/metrics from ${remote || 'an unknown address'}: ${error.message}\n`);
      return;
    }
  }
  const body = await registry.metrics();
  response
    .writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' })
    .end(request.method === 'HEAD' ? undefined : body);
}
