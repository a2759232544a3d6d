import type { App } from '../app/build-app.js';
import type { LiveFeeds } from './live/live-feeds.js';

/** What every resolver gets. Built in one place, `createContextFactory`, for HTTP and WebSocket alike. */
export interface GraphQLContext {
  readonly app: App;
  /** Live job events and log batches, fanned out to subscriptions with bounded buffers. */
  readonly live: LiveFeeds;
}

/** What the transport knows about the caller: an HTTP request, or a WebSocket's connection parameters. */
export interface TransportContext {
  request?: Request;
  connectionParams?: Readonly<Record<string, unknown>>;
}

/**
 * Makes the context of one operation. The transport context is where an authenticated principal
 * (a token from a header or from the WebSocket's connection parameters) will be read from.
 */
export function createContextFactory(app: App, live: LiveFeeds): (transport: TransportContext) => GraphQLContext {
  return () => ({ app, live });
}
