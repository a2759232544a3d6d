import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './build-app.js';
import { handleHealth } from './health.js';

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on the configured host and port (0 picks a free one) and serves the app's HTTP endpoints. */
export async function startHttpServer(app: App): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    if (request.url === '/health') {
      void handleHealth(app, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(app.config.server.port, app.config.server.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
