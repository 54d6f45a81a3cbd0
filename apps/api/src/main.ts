import 'reflect-metadata';
import { describeError } from './common/describe-error.js';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logging/logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Flightdeck cannot start.\n${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  try {
    const server = await startServer(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ error: describeError(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    // Not once: a second signal (Ctrl-C twice) skips the rest of the drain delay instead of
    // killing the process mid-stop.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    logger.fatal({ error: describeError(error) }, 'Flightdeck failed to start');
    process.exit(1);
  }
}

void main();
