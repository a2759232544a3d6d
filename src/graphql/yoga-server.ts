import type { IncomingMessage } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { App } from '../app/build-app.js';
import { AccessControl } from '../auth/access-control.js';
import { checkHttpRequest, corsOptionsFor } from '../auth/browser-boundary.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import type { LimitsConfig } from '../config/limits-config.js';
import { useAccessControl } from './auth/access-plugin.js';
import { createContextFactory, type GraphQLContext } from './context.js';
import { maskUnexpectedErrors, yogaLogger } from './error-masking.js';
import { useGraphiQLAssets } from './graphiql-assets.js';
import { graphiqlTabs } from './graphiql-examples.js';
import { renderGraphiQLPage } from './graphiql-page.js';
import { useBodyLimit } from './limits/body-limit.js';
import { useDocumentScan } from './limits/document-scan.js';
import { useOperationLimits } from './limits/operation-limits.js';
import { createSseSubscriptionCap } from './limits/sse-subscription-cap.js';
import { DEFAULT_LIVE_LIMITS, LiveFeeds, type LiveLimits } from './live/live-feeds.js';
import { schema } from './schema/index.js';
import { createSharedResults } from './shared-results.js';

export interface GraphQLServerOptions {
  /** Bounds of the live streams (tests make them small). */
  liveLimits?: Partial<LiveLimits>;
}

export type Yoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

export interface GraphQLServer {
  yoga: Yoga;
  live: LiveFeeds;
  /** Who may do what; the WebSocket endpoint authenticates `connection_init` with it. */
  access: AccessControl;
  /** The `limits` of server.json (the WebSocket endpoint caps operations per connection with them). */
  limits: LimitsConfig;
  /** Open subscriptions over server-sent events. */
  readonly sseSubscriptions: number;
  /** Whether a subscription result is shared by several subscribers (see shared-results.ts). */
  isShared: (result: unknown) => boolean;
  /** Completes every open subscription. */
  close(): Promise<void>;
}

/**
 * Yoga on `/graphql` with our schema, context, access control, limits, error masking, GraphiQL
 * (served with its assets, no CDN) and shared subscription results.
 */
export function createGraphQLServer(app: App, options: GraphQLServerOptions = {}): GraphQLServer {
  const { auth, limits, host } = app.config.server;
  const access = new AccessControl(new TokenVerifier(auth.tokens));
  if (access.enabled) {
    app.logger.info(
      { tokens: auth.tokens.map((t) => t.toJSON()) },
      `API tokens: ${auth.tokens.length} configured; every operation needs one`,
    );
  } else {
    app.logger.warn(
      { host },
      'no API tokens configured: authentication is off, so the server listens on loopback only (set FDA_TOKENS or auth.tokensFile to open it up)',
    );
  }
  const live = new LiveFeeds(app.bus, { ...DEFAULT_LIVE_LIMITS, ...options.liveLimits });
  const context = createContextFactory(app, live, access);
  const shared = createSharedResults();
  const sseCap = createSseSubscriptionCap(limits.maxSseSubscriptionsPerClient);
  const yoga: Yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maxRequestBodySize: limits.maxBodyBytes,
    // CORS headers only for the origins server.json allows, never with credentials: Yoga's own
    // default reflects any origin and allows credentials.
    cors: (_request, serverContext) => {
      const req = (serverContext as { req?: IncomingMessage }).req;
      return req ? corsOptionsFor(checkHttpRequest(req, app.config.server.http)) : false;
    },
    context: (initial) =>
      context(
        initial.transport === 'ws'
          ? {
              transport: 'ws',
              connectionParams: initial.connectionParams as Record<string, unknown> | undefined,
              nodeRequest: initial.req as IncomingMessage | undefined,
            }
          : {
              transport: 'http',
              request: initial.request,
              nodeRequest: initial.req as IncomingMessage | undefined,
            },
      ),
    logging: yogaLogger(app.logger.child({ part: 'graphql' })),
    maskedErrors: { maskError: maskUnexpectedErrors },
    graphiql: {
      title: 'finance-data-api',
      // Server-sent events travel over HTTP, so they carry the Authorization header like every other request.
      subscriptionsProtocol: 'SSE',
      defaultTabs: graphiqlTabs,
      defaultEditorToolsVisibility: 'variables',
    },
    renderGraphiQL: (graphiqlOptions) =>
      renderGraphiQLPage(graphiqlOptions, { tokenField: access.enabled }),
    // Order matters: access before anything else runs; the SSE cap wraps the shared subscribe function.
    plugins: [
      useGraphiQLAssets(),
      useBodyLimit(limits.maxBodyBytes),
      useAccessControl(access, app.logger.child({ part: 'access' })),
      useDocumentScan(limits.maxTokens),
      useOperationLimits(limits),
      shared.plugin,
      sseCap.plugin,
    ],
  });
  return {
    yoga,
    live,
    access,
    limits,
    get sseSubscriptions() {
      return sseCap.openCount;
    },
    isShared: shared.isShared,
    async close() {
      live.close();
      await yoga.dispose();
    },
  };
}
