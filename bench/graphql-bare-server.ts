/**
 * The baseline the GraphQL benchmarks compare against: a bare Yoga server with graphql-ws, as
 * Yoga's own example sets it up, with a `hello` query and a subscription that sends one log line
 * per event (produced as fast as the client takes them, no store, no bus).
 */
import { createServer, type Server } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ExecutionArgs } from 'graphql';

interface Line {
  seq: number;
  time: string;
  message: string;
}

export function startBareYoga(
  port = 0,
  host = '127.0.0.1',
): Promise<{ url: string; server: Server }> {
  // The lines start only once the benchmark says every subscriber is in (mutation start), so
  // the baseline is timed from the same moment as our server is.
  let release!: () => void;
  const started = new Promise<void>((resolve) => (release = resolve));
  const yoga = createYoga({
    logging: false,
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Query { hello: String! }
        type Mutation { start: Boolean! }
        type LogLine { seq: Int!, time: String!, message: String! }
        type Subscription { logLine(count: Int!): LogLine! }
      `,
      resolvers: {
        Query: { hello: () => 'world' },
        Mutation: {
          start: () => {
            release();
            return true;
          },
        },
        Subscription: {
          logLine: {
            // As in Yoga's examples: an async generator, one event per line, nothing awaited in between.
            subscribe: async function* (_root: unknown, { count }: { count: number }) {
              await started;
              for (let seq = 1; seq <= count; seq++)
                yield {
                  logLine: {
                    seq,
                    time: new Date().toISOString(),
                    message: `line ${seq}`,
                  } satisfies Line,
                };
            },
          },
        },
      },
    }),
  });
  const server = createServer(yoga);
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  type Enveloped = ExecutionArgs & {
    execute: (args: ExecutionArgs) => never;
    subscribe: (args: ExecutionArgs) => never;
  };
  useServer(
    {
      execute: (args) => (args as Enveloped).execute(args),
      subscribe: (args) => (args as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        }) as unknown as {
          schema: ExecutionArgs['schema'];
          execute: Enveloped['execute'];
          subscribe: Enveloped['subscribe'];
          contextFactory: () => Promise<unknown>;
          parse: (source: string) => ExecutionArgs['document'];
        };
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document: enveloped.parse(params.query),
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          execute: enveloped.execute,
          subscribe: enveloped.subscribe,
        } as Enveloped;
      },
    },
    wss,
  );
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://${host}:${address.port}`, server });
    });
  });
}
