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
  // A component that leaks a rejected promise, or throws from a timer of its own, must not take
  // every other job down with it (Node would exit). Node runs these handlers in the async context
  // the fault came from, often a job's whose log is closed by then: so the line goes to the
  // server's own log, naming the job and step.
  const logFault = (what: string) => (fault: unknown) => {
    const scope = app.scopes.current();
    app.scopes.exit(() =>
      app.logger.error({ err: fault, jobId: scope?.jobId, step: scope?.step ?? undefined }, what),
    );
  };
  process.on(
    'unhandledRejection',
    logFault('unhandled promise rejection (a component left a promise without a handler)'),
  );
  process.on(
    'uncaughtException',
    logFault("uncaught exception (thrown outside any job step, e.g. from a component's timer)"),
  );
  const { url } = await app.start();
  console.log(`finance-data-api listening on ${url}/graphql`);
}

main().catch((error: unknown) => {
  console.error(
    'finance-data-api failed to start:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
