import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  FLIGHTDECK_DATA_DIR: z.string().min(1).default('./data'),
  FLIGHTDECK_EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  FLIGHTDECK_MIGRATE_ON_START: booleanFlag.default(true),
  FLIGHTDECK_DEMO: booleanFlag.optional(),
  FLIGHTDECK_WEB_DIST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

// The variables Flightdeck reads; the README's configuration table and docker-compose.yml are checked against it.
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as readonly (keyof typeof envSchema.shape)[];

export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly database:
    | { readonly mode: 'external'; readonly url: string; readonly poolMax: number }
    | {
        readonly mode: 'embedded';
        readonly dataDir: string;
        readonly port: number;
        readonly poolMax: number;
      };
  readonly migrateOnStart: boolean;
  readonly demo: boolean;
  // Where the built SPA lives; served from the API's port when the folder exists.
  readonly webDist: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

// The one place that reads the environment. Everything else receives an AppConfig.
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  // An empty variable counts as unset, as shells and compose files often leave them empty.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const shown =
          typeof present[name] === 'string' && !name.includes('URL') ? ` (got "${present[name]}")` : '';
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const database: AppConfig['database'] = e.DATABASE_URL
    ? { mode: 'external', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
    : {
        mode: 'embedded',
        dataDir: path.resolve(e.FLIGHTDECK_DATA_DIR),
        port: e.FLIGHTDECK_EMBEDDED_PG_PORT,
        poolMax: e.DATABASE_POOL_MAX,
      };
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    migrateOnStart: e.FLIGHTDECK_MIGRATE_ON_START,
    // Demo data is the default for the embedded database, so a first run shows a living board.
    demo: e.FLIGHTDECK_DEMO ?? database.mode === 'embedded',
    webDist: path.resolve(e.FLIGHTDECK_WEB_DIST ?? path.join(repoRoot, 'apps/web/dist')),
    logLevel: e.LOG_LEVEL,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
