/**
 * `npm start`: loads the configuration, starts the server, prints its URL, and stops gracefully on
 * SIGTERM/SIGINT (a second signal exits at once).
 */
import { buildApp } from './app/build-app.js';
import { loadAppConfig } from './app/config.js';
import { installFaultPolicy } from './app/fault-policy.js';
import { ConfigError } from './errors.js';
import { chooseLogFormat, type LogFormat } from './logs/log-format.js';

async function main(): Promise<void> {
  let config;
  let logFormat: LogFormat;
  try {
    config = loadAppConfig(process.env);
    logFormat = chooseLogFormat(process.env.FDA_LOG_FORMAT, process.stdout.isTTY === true);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`finance-data-api: configuration error\n${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = buildApp(config, { logFormat });
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
  installFaultPolicy({
    scopes: app.scopes,
    executor: app.executor,
    logger: app.logger,
    // The fatal line is written before the process goes (or after a second, whatever happens).
    exit: (code) => {
      setTimeout(() => process.exit(code), 1000).unref();
      app.logger.flush(() => process.exit(code));
    },
  });
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
