import { describeError } from '../common/describe-error.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { applyMigrations } from './migrations.js';

// Applies pending migrations and exits: `node apps/api/dist/database/migrate-cli.js`. For a deployment
// that migrates once before new replicas start (the Helm chart's pre-upgrade job) instead of in every
// process (FLIGHTDECK_MIGRATE_ON_START). Concurrent runs wait on one advisory lock, so it is safe to
// run while replicas of the previous version serve.
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Flightdeck cannot migrate.\n${error.message}\n`);
      return 78;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.database.mode !== 'external') {
    logger.fatal('DATABASE_URL is not set: the embedded database migrates when Flightdeck starts');
    return 78;
  }
  try {
    const { applied } = await applyMigrations({ connectionString: config.database.url });
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
    return 0;
  } catch (error) {
    logger.fatal({ error: describeError(error) }, 'migrations failed');
    return 1;
  }
}

// The schema engine leaves a timer behind; exit instead of waiting for it.
void main().then((code) => process.exit(code));
