import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-dist';
import { AppModule } from './app.module.js';
import { GlobalErrorFilter } from './common/error.filter.js';
import type { AppConfig } from './config/config.js';
import {
  EMBEDDED_POOL_MAX,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './database/embedded-postgres.js';
import { applyMigrations } from './database/migrations.js';
import type { DatabaseConnection } from './database/prisma.service.js';
import { DemoSeeder } from './demo/demo-seeder.js';
import { DrainDelay } from './health/drain-delay.js';
import { HttpDrain } from './health/http-drain.js';
import { Readiness } from './health/readiness.js';
import { SetupService } from './identity/setup.service.js';
import { createHttpLogger, NestPinoLogger } from './logging/logger.js';
import { Metrics } from './metrics/metrics.js';
import { spaMiddleware } from './spa/spa.js';

export interface RunningServer {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

async function connectDatabase(
  config: AppConfig,
  logger: Logger,
): Promise<{ connection: DatabaseConnection; embedded?: EmbeddedPostgres }> {
  if (config.database.mode === 'external') {
    const { hostname, port, pathname } = new URL(config.database.url);
    logger.info(
      { host: hostname, port, database: pathname.slice(1) },
      'database: external Postgres from DATABASE_URL',
    );
    return { connection: { url: config.database.url, poolMax: config.database.poolMax, mode: 'external' } };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.port,
  });
  logger.info(
    { dataDir: config.database.dataDir, port: new URL(embedded.connectionString).port },
    'database: embedded Postgres (PGlite); set DATABASE_URL to use a Postgres server',
  );
  return {
    connection: { url: embedded.connectionString, poolMax: EMBEDDED_POOL_MAX, mode: 'embedded' },
    embedded,
  };
}

// Everything a Flightdeck process does before it answers: database, migrations, demo data, HTTP.
export async function startServer(config: AppConfig, logger: Logger): Promise<RunningServer> {
  const { connection, embedded } = await connectDatabase(config, logger);
  let app: INestApplication | undefined;
  try {
    if (config.migrateOnStart) {
      const { applied } = await applyMigrations({
        connectionString: connection.url,
        poolMax: connection.poolMax,
      });
      logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
    } else {
      logger.info('migrations on start are off (FLIGHTDECK_MIGRATE_ON_START=false)');
    }

    const metrics = new Metrics();
    app = await NestFactory.create(AppModule.forRoot({ config, connection, logger, metrics }), {
      logger: new NestPinoLogger(logger),
      abortOnError: false,
      // Webhook callbacks are verified over the exact bytes received (req.rawBody).
      rawBody: true,
    });
    // X-Forwarded-For / -Proto are believed only behind a proxy the operator vouches for.
    if (config.http.trustProxy)
      (app.getHttpAdapter().getInstance() as express.Express).set('trust proxy', true);
    // GitHub's deliveries are verified over their exact bytes and may be up to 25 MB (Nest's JSON parser
    // stops at 100 kB): kept as a Buffer for that one route.
    app.use('/api/v1/integrations/github/webhook', express.raw({ type: () => true, limit: '25mb' }));
    app.use(cookieParser());
    app.use(createHttpLogger(logger));
    app.use(metrics.httpMiddleware());
    app.use('/api/docs/assets', express.static(swaggerUi.getAbsoluteFSPath(), { index: false }));
    const spa = spaMiddleware(config.webDist);
    if (spa) app.use(spa);
    else
      logger.warn(
        { webDist: config.webDist },
        'web app not built: serving the API only (run the build first)',
      );
    app.useGlobalFilters(new GlobalErrorFilter(logger));

    await app.get(SetupService).bootstrap();
    if (config.demo) {
      const seeded = await app.get(DemoSeeder).seed();
      logger.info(seeded, seeded.created ? 'demo data created' : 'demo data already present');
    }

    await app.listen(config.port, config.host);
    const httpServer = app.getHttpServer() as Server;
    const requests = new HttpDrain(httpServer);
    const address = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${address.port}`;
    logger.info({ url }, 'Flightdeck is listening');
    const started = app;
    // HTTP first: readiness red while still serving (the drain delay), then no new connections,
    // requests in flight finish (up to the grace period); then Nest stops the runner and the
    // schedulers, which finish their ticks in flight, and closes the database pool last; then the
    // embedded Postgres.
    const delay = new DrainDelay();
    const stop = async (): Promise<void> => {
      started.get(Readiness).drain();
      if (config.shutdownDelaySeconds > 0)
        logger.info(
          { delaySeconds: config.shutdownDelaySeconds },
          'readiness is red; still serving until the load balancer has taken this replica out',
        );
      await delay.wait(config.shutdownDelaySeconds * 1000);
      const { cut } = await requests.drain(config.shutdownGraceSeconds * 1000);
      if (cut > 0) {
        logger.warn(
          { requests: cut, graceSeconds: config.shutdownGraceSeconds },
          'requests still open after the shutdown grace period were cut',
        );
      }
      await started.close();
      await embedded?.stop();
    };
    // A second signal during a stop skips what is left of the drain delay and waits for the same stop.
    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      if (closing) delay.skip();
      return (closing ??= stop());
    };
    return { app: started, url, close };
  } catch (error) {
    await app?.close();
    await embedded?.stop();
    throw error;
  }
}
