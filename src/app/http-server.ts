import { createServer, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attachGraphQLWebSockets,
  type RunningWebSocketServer,
  type WebSocketOptions,
} from '../graphql/websocket-server.js';
import { createGraphQLServer, type GraphQLServerOptions } from '../graphql/yoga-server.js';
import type { LiveFeeds } from '../graphql/live/live-feeds.js';
import type { App } from './build-app.js';
import { checkHttpRequest } from '../auth/browser-boundary.js';
import { handleHealth, HealthMonitor } from './health.js';
import { handleMetrics } from '../metrics/metrics-route.js';
import {
  DEFAULT_DASHBOARD_DIR,
  isDashboardRequest,
  serveDashboard,
} from '../dashboard/serve-dashboard.js';

export interface HttpServerOptions extends GraphQLServerOptions {
  webSocket?: WebSocketOptions;
  /**
   * Sockets that never finish a request are closed (408) by Node once these run out: the headers
   * must arrive within `headersTimeoutMs` of connecting (Node's default 60 s), the whole request
   * within `requestTimeoutMs` (300 s); both are checked every `connectionsCheckingIntervalMs` (30 s).
   * A WebSocket that never sends connection_init is graphql-ws's to close (3 s).
   */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  connectionsCheckingIntervalMs?: number;
  /** The built dashboard served at `/` (dist/dashboard by default). */
  dashboardDir?: string;
}

export interface RunningHttpServer {
  url: string;
  /** The live streams behind the subscriptions (their bounds and counters). */
  live: LiveFeeds;
  /** The graphql-ws endpoint (its client count and counters). */
  webSockets: RunningWebSocketServer;
  /** Completes every subscription, closes WebSockets and connections, stops listening. */
  close(): Promise<void>;
}

/**
 * Listens on the configured host and port (0 picks a free one): the dashboard at `/`, `GET /health`,
 * `GET /metrics` (Prometheus), and GraphQL on
 * `/graphql` over HTTP (queries, mutations, server-sent events), WebSocket (graphql-ws) and
 * GraphiQL for a browser.
 */
export async function startHttpServer(
  app: App,
  options: HttpServerOptions = {},
): Promise<RunningHttpServer> {
  const startedAt = Date.now();
  const graphql = createGraphQLServer(app, options);
  const timeouts: ServerOptions = {};
  if (options.headersTimeoutMs !== undefined) timeouts.headersTimeout = options.headersTimeoutMs;
  if (options.requestTimeoutMs !== undefined) timeouts.requestTimeout = options.requestTimeoutMs;
  if (options.connectionsCheckingIntervalMs !== undefined)
    timeouts.connectionsCheckingInterval = options.connectionsCheckingIntervalMs;
  const boundary = app.config.server.http;
  const health = new HealthMonitor(app, startedAt);
  const server = createServer(timeouts, (request, response) => {
    const decision = checkHttpRequest(request, boundary);
    if (!decision.ok) {
      refuseRequest(response, decision.message);
      app.logger.warn(
        {
          remote: request.socket.remoteAddress ?? null,
          url: request.url,
          reason: decision.message,
        },
        'request refused at the browser boundary (403)',
      );
      return;
    }
    if (request.url === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
      handleHealth(health, graphql.access, request, response).catch((error: unknown) => {
        app.logger.error({ err: error }, 'health check failed');
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end('{"status":"error"}\n');
      });
      return;
    }
    if (request.url === '/metrics' && (request.method === 'GET' || request.method === 'HEAD')) {
      handleMetrics(app.metrics.registry, graphql.access, request, response).catch(
        (error: unknown) => {
          app.logger.error({ err: error }, 'metrics failed');
          if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
          response.end('metrics failed\n');
        },
      );
      return;
    }
    if (isDashboardRequest(request)) {
      serveDashboard(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR, request, response).catch(
        (error: unknown) => {
          app.logger.error({ err: error }, 'dashboard failed');
          if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
          response.end('dashboard failed\n');
        },
      );
      return;
    }
    void graphql.yoga(request, response);
  });
  const webSockets = attachGraphQLWebSockets(
    server,
    graphql,
    boundary,
    app.logger.child({ part: 'graphql-ws' }),
    options.webSocket,
  );
  app.metrics.observeServer({
    webSocketClients: () => webSockets.clientCount,
    liveStreams: () => graphql.live.stats.openStreams,
    httpConnections: () =>
      new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count))),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(app.config.server.port, app.config.server.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    live: graphql.live,
    webSockets,
    async close() {
      await graphql.close();
      // Let the subscriptions just completed send their last frames before the sockets go.
      await new Promise((resolve) => setImmediate(resolve));
      await webSockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** 403 in GraphQL's error shape, so GraphiQL and clients show the reason. */
export function refuseRequest(response: ServerResponse, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'FORBIDDEN' } }] });
  response
    .writeHead(403, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    })
    .end(body);
}
