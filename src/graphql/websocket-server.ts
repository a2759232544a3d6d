import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkUpgrade, type BoundaryConfig } from '../auth/browser-boundary.js';
import { limitError } from './limits/limit-error.js';
import { credentialOf } from './context.js';
import { SharedFrames } from './shared-frames.js';
import type { GraphQLServer } from './yoga-server.js';

/** Yoga's enveloped `execute`/`subscribe` travel with the arguments, as in Yoga's graphql-ws example. */
type EnvelopedArgs = ExecutionArgs & {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

/** What `yoga.getEnveloped` hands back, as this module uses it. */
interface Enveloped {
  schema: GraphQLSchema;
  execute: EnvelopedArgs['execute'];
  subscribe: EnvelopedArgs['subscribe'];
  contextFactory: () => unknown;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}

export interface WebSocketOptions {
  /** Ping interval; a client that does not answer within it is dropped. graphql-ws's default is 12 s. */
  keepAliveMs?: number;
  /** How long `close()` lets clients answer the close handshake before their sockets are cut. */
  closeGraceMs?: number;
}

export interface RunningWebSocketServer {
  readonly clientCount: number;
  /** Frames whose payload was serialised once for many subscribers. */
  readonly framesShared: number;
  close(): Promise<void>;
}

/**
 * graphql-ws (the `graphql-transport-ws` protocol) on the HTTP server's port and Yoga's path, running
 * every operation through Yoga's envelop (same schema, context, plugins, access control, limits and
 * error masking as HTTP). When tokens are configured, `connection_init` must carry a valid one
 * (see `credentialOf`), or the socket is closed with 4403 Forbidden; each socket may have at most
 * `limits.maxSubscriptionsPerConnection` operations in flight.
 */
export function attachGraphQLWebSockets(
  server: Server,
  graphql: Pick<GraphQLServer, 'yoga' | 'isShared' | 'access' | 'limits'>,
  boundary: BoundaryConfig,
  logger: Logger,
  options: WebSocketOptions = {},
): RunningWebSocketServer {
  const { yoga, isShared, access } = graphql;
  const maxOperations = graphql.limits.maxSubscriptionsPerConnection;
  // The upgrade is ours to accept: the browser boundary checks Host and Origin first (WebSockets
  // are exempt from CORS), and a frame larger than an HTTP body may be is refused by its header,
  // before it is buffered or parsed (ws closes the socket with 1009).
  const wss = new WebSocketServer({ noServer: true, maxPayload: graphql.limits.maxBodyBytes });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    const decision =
      path === yoga.graphqlEndpoint
        ? checkUpgrade(request, boundary)
        : ({ ok: false, message: `no WebSocket endpoint at ${path}` } as const);
    if (!decision.ok) {
      logger.warn(
        { remote: request.socket.remoteAddress ?? null, reason: decision.message },
        'WebSocket upgrade refused (403)',
      );
      const body = `${decision.message}\n`;
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  const frames = new SharedFrames();
  // Registered before graphql-ws's own listener, so every frame it sends passes through here.
  wss.on('connection', (socket: WebSocket) => {
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) =>
      send(
        typeof data === 'string' ? frames.substitute(data) : data,
        ...rest,
      )) as WebSocket['send'];
  });
  const disposable = useServer(
    {
      onNext: (_ctx, _id, _payload, _args, result) =>
        isShared(result) ? (frames.placeholder(result) as never) : undefined,
      execute: (args) => (args as EnvelopedArgs).execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).subscribe(args) as never,
      onConnect: (ctx) => {
        const authentication = access.authenticate(
          credentialOf({
            transport: 'ws',
            connectionParams: ctx.connectionParams,
            nodeRequest: ctx.extra.request,
          }),
        );
        if (authentication.ok) return true;
        logger.warn(
          { remote: ctx.extra.request.socket.remoteAddress ?? null, reason: authentication.reason },
          `WebSocket refused (4403): ${authentication.error.message}`,
        );
        return false;
      },
      onSubscribe: async (ctx, _id, params) => {
        // The operation being subscribed is already in `ctx.subscriptions`.
        const inFlight = Object.keys(ctx.subscriptions).length;
        if (inFlight > maxOperations) {
          return [
            limitError(
              `this connection already has ${inFlight - 1} operations in flight; at most ${maxOperations} are allowed (complete one, or open another connection)`,
              'maxSubscriptionsPerConnection',
            ),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          transport: 'ws',
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        }) as Enveloped;
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (error) {
          // A syntax error is the client's: answer it as a GraphQL error instead of closing the socket.
          return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(schema, document);
        if (errors.length > 0)
          return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const args: EnvelopedArgs = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          execute,
          subscribe,
        };
        return args;
      },
    },
    wss,
    options.keepAliveMs,
  );
  return {
    get clientCount() {
      return wss.clients.size;
    },
    get framesShared() {
      return frames.framesShared;
    },
    async close() {
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, options.closeGraceMs ?? 1000);
      try {
        await disposable.dispose();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}

/**
 * The error with the same code an HTTP client gets for it. A copy: Yoga caches parse and
 * validation results, so the cached error object must stay as it is for the next request.
 */
function withCode(error: unknown, code: string): GraphQLError {
  if (!(error instanceof GraphQLError))
    return new GraphQLError(String(error), { extensions: { code } });
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: error.extensions.code ?? code },
  });
}
