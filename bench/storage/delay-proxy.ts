/**
 * A TCP proxy that holds every chunk for `delayMs` in each direction, so a local server behaves
 * like a remote one (10 ms each way = a 20 ms round trip, a cloud database in the same region).
 * It also counts round trips: each time a client speaks again after the server answered.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  readonly port: number;
  /** Client turns (requests after a reply) since the last reset, over all connections. */
  roundTrips(): number;
  resetRoundTrips(): void;
  close(): Promise<void>;
}

export async function startDelayProxy(
  upstreamHost: string,
  upstreamPort: number,
  delayMs: number,
): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  let trips = 0;

  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: upstreamHost, port: upstreamPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    let lastFromClient = false;
    // Timers of equal delay fire in the order they were set, so chunks keep their order.
    const forward = (from: Socket, to: Socket, fromClient: boolean) => {
      from.on('data', (chunk: Buffer) => {
        if (fromClient && !lastFromClient) trips += 1;
        lastFromClient = fromClient;
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
        }, delayMs);
      });
      from.on('end', () => setTimeout(() => to.end(), delayMs));
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        setTimeout(() => to.destroy(), delayMs + 1);
      });
    };
    forward(client, upstream, true);
    forward(upstream, client, false);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the delay proxy has no TCP port');
  return {
    port: address.port,
    roundTrips: () => trips,
    resetRoundTrips: () => {
      trips = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
