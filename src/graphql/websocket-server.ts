import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { SharedFrames } from './shared-frames.js';
import type { Yoga } from './yoga-server.js';

/** Yoga's enveloped `execute`/`subscribe` travel with the arguments, as in Yoga's graphql-ws example. */
type EnvelopedArgs = ExecutionArgs & { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

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
 * every operation through Yoga's envelop (same schema, context, plugins and error masking as HTTP).
 */
export function attachGraphQLWebSockets(server: Server, yoga: Yoga, isShared: (result: unknown) => boolean, options: WebSocketOptions = {}): RunningWebSocketServer {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const frames = new SharedFrames();
  // Registered before graphql-ws's own listener, so every frame it sends passes through here.
  wss.on('connection', (socket: WebSocket) => {
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => send(typeof data === 'string' ? frames.substitute(data) : data, ...rest)) as WebSocket['send'];
  });
  const disposable = useServer(
    {
      onNext: (_ctx, _id, _payload, _args, result) => (isShared(result) ? (frames.placeholder(result) as never) : undefined),
      execute: (args) => (args as EnvelopedArgs).execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        }) as Enveloped;
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (error) {
          // A syntax error is the client's: answer it as a GraphQL error instead of closing the socket.
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
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
