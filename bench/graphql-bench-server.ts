/**
 * A server for the GraphQL benchmarks, in a process of its own so that the load generators do not
 * share its event loop: `app` (the real server with the GraphQL test components, on an SQLite file
 * in a temporary folder) or `bare` (the bare Yoga baseline). Prints `{"url": …}` on one line, and
 * stops when its standard input closes.
 */
import { startGraphQLTestApp } from '../test/graphql/support.js';
import { startBareYoga } from './graphql-bare-server.js';

const [mode = 'app', serverJson = '{}'] = process.argv.slice(2);

async function main(): Promise<void> {
  let stop: () => Promise<void>;
  let url: string;
  if (mode === 'bare') {
    const bare = await startBareYoga();
    url = bare.url;
    stop = () =>
      new Promise<void>((resolve) => {
        bare.server.close(() => resolve());
        bare.server.closeAllConnections();
      });
  } else {
    const t = await startGraphQLTestApp({
      server: JSON.parse(serverJson) as Record<string, unknown>,
    });
    url = t.url;
    stop = () => t.destroy();
  }
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
