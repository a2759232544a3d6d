/**
 * `npm start`: loads the configuration, starts the server, prints its URL, and stops gracefully on
 * SIGTERM/SIGINT (a second signal exits at once).
 */
import { buildApp } from './app/build-app.js';
import { loadAppConfig } from './app/config.js';
import { ConfigError } from './errors.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`finance-data-api: configuration error\n${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = buildApp(config);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting at once`);
      process.exit(1);
    }
    stopping = true;
    app.logger.info({ signal }, 'signal received');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // A component that leaks a rejected promise must not take every other job down with it: Node
  // would exit on it. Log it (with the job when the rejection happened inside one) and go on.
  process.on('unhandledRejection', (reason) => {
    app.logger.error({ err: reason }, 'unhandled promise rejection (a component left a promise without a handler)');
  });
  const { url } = await app.start();
  console.log(`finance-data-api listening on ${url}/graphql`);
}

main().catch((error: unknown) => {
  console.error('finance-data-api failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
