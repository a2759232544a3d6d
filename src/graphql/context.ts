import type { IncomingMessage } from 'node:http';
import type { App } from '../app/build-app.js';
import type { AccessControl, Principal } from '../auth/access-control.js';
import {
  bearerCredential,
  connectionParamsCredential,
  type Credential,
} from '../auth/credentials.js';
import type { LiveFeeds } from './live/live-feeds.js';

/** What every resolver gets. Built in one place, `createContextFactory`, for HTTP and WebSocket alike. */
export interface GraphQLContext {
  readonly app: App;
  /** Live job events and log batches, fanned out to subscriptions with bounded buffers. */
  readonly live: LiveFeeds;
  /**
   * Who is calling (a token's name and scopes, or the local caller when no tokens are configured);
   * null when the caller's credentials did not authenticate, and then every operation is refused.
   */
  readonly principal: Principal | null;
  readonly transport: 'http' | 'ws';
  /** The caller's address, for per-client limits and logs. */
  readonly remoteAddress: string | null;
}

/** What the transport knows about the caller: an HTTP request, or a WebSocket's connection parameters. */
export interface TransportContext {
  transport: 'http' | 'ws';
  /** HTTP: the request. */
  request?: Request;
  /** WebSocket: what the client sent with `connection_init`. */
  connectionParams?: Readonly<Record<string, unknown>>;
  /** The Node request: HTTP's own, or the WebSocket's upgrade request. */
  nodeRequest?: IncomingMessage;
}

/**
 * The credential a caller presented. HTTP: the `Authorization` header. WebSocket: the connection
 * parameters (see `connectionParamsCredential`), else the upgrade request's `Authorization` header
 * (which non-browser clients can set).
 */
export function credentialOf(transport: TransportContext): Credential {
  if (transport.transport === 'ws') {
    const fromParams = connectionParamsCredential(transport.connectionParams);
    if (fromParams.kind !== 'none') return fromParams;
    return bearerCredential(transport.nodeRequest?.headers.authorization);
  }
  return bearerCredential(transport.request?.headers.get('authorization'));
}

/** Makes the context of one operation, authenticating the caller from what the transport carries. */
export function createContextFactory(
  app: App,
  live: LiveFeeds,
  access: AccessControl,
): (transport: TransportContext) => GraphQLContext {
  return (transport) => {
    const authentication = access.authenticate(credentialOf(transport));
    return {
      app,
      live,
      principal: authentication.ok ? authentication.principal : null,
      transport: transport.transport,
      remoteAddress: transport.nodeRequest?.socket.remoteAddress ?? null,
    };
  };
}
