import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { App } from '../app/build-app.js';
import { createContextFactory, type GraphQLContext } from './context.js';
import { maskUnexpectedErrors, yogaLogger } from './error-masking.js';
import { graphiqlTabs } from './graphiql-examples.js';
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
  /** Whether a subscription result is shared by several subscribers (see shared-results.ts). */
  isShared: (result: unknown) => boolean;
  /** Completes every open subscription. */
  close(): Promise<void>;
}

/** Yoga on `/graphql` with our schema, context, error masking, GraphiQL and shared subscription results. */
export function createGraphQLServer(app: App, options: GraphQLServerOptions = {}): GraphQLServer {
  const live = new LiveFeeds(app.bus, { ...DEFAULT_LIVE_LIMITS, ...options.liveLimits });
  const context = createContextFactory(app, live);
  const shared = createSharedResults();
  const yoga: Yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    context: (initial) => context({ request: initial.request, connectionParams: initial.connectionParams as Record<string, unknown> | undefined }),
    logging: yogaLogger(app.logger.child({ part: 'graphql' })),
    maskedErrors: { maskError: maskUnexpectedErrors },
    graphiql: {
      title: 'finance-data-api',
      subscriptionsProtocol: 'WS',
      defaultTabs: graphiqlTabs,
      defaultEditorToolsVisibility: 'variables',
    },
    plugins: [shared.plugin],
  });
  return {
    yoga,
    live,
    isShared: shared.isShared,
    async close() {
      live.close();
      await yoga.dispose();
    },
  };
}
