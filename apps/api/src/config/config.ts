import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type Role } from '@flightdeck/contracts';
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
  FLIGHTDECK_PUBLIC_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL')
    .optional(),
  FLIGHTDECK_TRUST_PROXY: booleanFlag.default(false),
  FLIGHTDECK_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(10_080).default(480),
  FLIGHTDECK_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(8_760).default(168),
  FLIGHTDECK_ADMIN_EMAIL: z.email().optional(),
  FLIGHTDECK_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  FLIGHTDECK_LOCAL_LOGIN: booleanFlag.default(true),
  FLIGHTDECK_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  FLIGHTDECK_OIDC_ISSUER: z.string().url().optional(),
  FLIGHTDECK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  FLIGHTDECK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  FLIGHTDECK_OIDC_NAME: z.string().min(1).max(50).default('SSO'),
  FLIGHTDECK_OIDC_SCOPES: z.string().min(1).default('openid email profile groups'),
  FLIGHTDECK_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  FLIGHTDECK_OIDC_GROUP_ROLES: z.string().optional(),
  FLIGHTDECK_OIDC_GROUP_TEAMS: z.string().optional(),
  FLIGHTDECK_OIDC_ALLOW_HTTP: booleanFlag.default(false),
  FLIGHTDECK_RUNNER: booleanFlag.default(true),
  FLIGHTDECK_RUNNER_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  FLIGHTDECK_RUNNER_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
  FLIGHTDECK_NOTIFICATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  FLIGHTDECK_RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
  FLIGHTDECK_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  FLIGHTDECK_SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).max(60).default(0),
  FLIGHTDECK_GITHUB_API_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL')
    .default('https://api.github.com'),
  FLIGHTDECK_GITHUB_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric GitHub App id').optional(),
  FLIGHTDECK_GITHUB_PRIVATE_KEY: z.string().min(1).optional(),
  FLIGHTDECK_GITHUB_KEY_FILE: z.string().min(1).optional(),
  FLIGHTDECK_GITHUB_TOKEN: z.string().min(1).optional(),
  FLIGHTDECK_GITHUB_HOOK_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  FLIGHTDECK_GITHUB_POLL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  FLIGHTDECK_GITHUB_WAIT_SECONDS: z.coerce.number().int().min(1).max(3_600).default(120),
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
  readonly http: {
    // The origin people use to reach Flightdeck; decides cookie security and the allowed Origin.
    readonly publicUrl: string | null;
    readonly trustProxy: boolean;
  };
  readonly auth: {
    readonly sessionIdleMinutes: number;
    readonly sessionMaxHours: number;
    readonly localLogin: boolean;
    readonly firstAdmin: { readonly email: string; readonly password: string } | null;
    readonly oidc: OidcConfig | null;
  };
  // AES-256-GCM key for secrets at rest; null: generated and kept in the data directory.
  readonly secretKey: Buffer | null;
  // The deployment runner of this process: how often it ticks, how long a claim lasts without
  // renewal (a killed process's work is resumed after that), how many deployments it drives at once.
  readonly runner: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly leaseSeconds: number;
    readonly concurrency: number;
  };
  // How long a stop waits for HTTP requests in flight before cutting their connections.
  readonly shutdownGraceSeconds: number;
  // How long a stop keeps serving with readiness red, so load balancers take the replica out first.
  readonly shutdownDelaySeconds: number;
  readonly github: GitHubConfig;
  // Delivered and dead notification events (with their deliveries and attempts) are kept this long.
  readonly notificationRetentionDays: number;
  readonly dataDir: string;
}

// How Flightdeck reaches GitHub (or GitHub Enterprise Server): as a GitHub App (installation tokens per
// repository owner) or with one token; null auth means the API is not configured.
export interface GitHubConfig {
  // https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.
  readonly apiUrl: string;
  readonly auth:
    | { readonly kind: 'app'; readonly appId: string; readonly privateKey: string }
    | { readonly kind: 'token'; readonly token: string }
    | null;
  // Checks X-Hub-Signature-256 on webhook deliveries; null: the webhook endpoint refuses everything.
  readonly webhookSecret: string | null;
  readonly pollIntervalMs: number;
  // The longest a request waits out a rate limit before it gives up.
  readonly maxWaitSeconds: number;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly name: string;
  readonly scopes: string;
  readonly groupsClaim: string;
  // Group name → global role, from "group=role,group=role".
  readonly groupRoles: ReadonlyMap<string, Role>;
  // Group name → team slug and role there, from "group=team:role,…".
  readonly groupTeams: ReadonlyMap<string, { team: string; role: Role }>;
  // Plain-http issuers are refused off loopback unless an operator opts in (e.g. a lab network).
  readonly allowHttp: boolean;
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
        // Values of URLs, passwords, secrets and keys are never echoed: they may be credentials.
        const secret = /URL|PASSWORD|SECRET|KEY/.test(name);
        const shown = typeof present[name] === 'string' && !secret ? ` (got "${present[name]}")` : '';
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const issues: string[] = [];
  const oidc = oidcConfig(e, issues);
  const github = githubConfig(e, issues);
  if ((e.FLIGHTDECK_ADMIN_EMAIL === undefined) !== (e.FLIGHTDECK_ADMIN_PASSWORD === undefined)) {
    issues.push('FLIGHTDECK_ADMIN_EMAIL and FLIGHTDECK_ADMIN_PASSWORD: set both or neither');
  }
  if (!e.FLIGHTDECK_LOCAL_LOGIN && !oidc) {
    issues.push('FLIGHTDECK_LOCAL_LOGIN: cannot be false without single sign-on (FLIGHTDECK_OIDC_ISSUER)');
  }
  if (issues.length) throw new ConfigError(issues);
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
    http: {
      publicUrl: e.FLIGHTDECK_PUBLIC_URL ? new URL(e.FLIGHTDECK_PUBLIC_URL).origin : null,
      trustProxy: e.FLIGHTDECK_TRUST_PROXY,
    },
    auth: {
      sessionIdleMinutes: e.FLIGHTDECK_SESSION_IDLE_MINUTES,
      sessionMaxHours: e.FLIGHTDECK_SESSION_MAX_HOURS,
      localLogin: e.FLIGHTDECK_LOCAL_LOGIN,
      firstAdmin:
        e.FLIGHTDECK_ADMIN_EMAIL && e.FLIGHTDECK_ADMIN_PASSWORD
          ? { email: e.FLIGHTDECK_ADMIN_EMAIL.toLowerCase(), password: e.FLIGHTDECK_ADMIN_PASSWORD }
          : null,
      oidc,
    },
    secretKey: e.FLIGHTDECK_SECRET_KEY ? Buffer.from(e.FLIGHTDECK_SECRET_KEY, 'base64') : null,
    runner: {
      enabled: e.FLIGHTDECK_RUNNER,
      intervalMs: e.FLIGHTDECK_RUNNER_INTERVAL_MS,
      leaseSeconds: e.FLIGHTDECK_RUNNER_LEASE_SECONDS,
      concurrency: e.FLIGHTDECK_RUNNER_CONCURRENCY,
    },
    shutdownGraceSeconds: e.FLIGHTDECK_SHUTDOWN_GRACE_SECONDS,
    shutdownDelaySeconds: e.FLIGHTDECK_SHUTDOWN_DELAY_SECONDS,
    github,
    notificationRetentionDays: e.FLIGHTDECK_NOTIFICATION_RETENTION_DAYS,
    dataDir: path.resolve(e.FLIGHTDECK_DATA_DIR),
  };
}

type Env = z.infer<typeof envSchema>;

// "a=x,b=y" into pairs; an entry without "=" is reported.
function pairs(value: string | undefined, name: string, issues: string[]): Array<[string, string]> {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry): Array<[string, string]> => {
      const at = entry.lastIndexOf('=');
      if (at <= 0 || at === entry.length - 1) {
        issues.push(`${name}: "${entry}" is not of the form group=value`);
        return [];
      }
      return [[entry.slice(0, at).trim(), entry.slice(at + 1).trim()]];
    });
}

function githubConfig(e: Env, issues: string[]): GitHubConfig {
  let auth: GitHubConfig['auth'] = null;
  if (e.FLIGHTDECK_GITHUB_PRIVATE_KEY && e.FLIGHTDECK_GITHUB_KEY_FILE)
    issues.push('FLIGHTDECK_GITHUB_PRIVATE_KEY and FLIGHTDECK_GITHUB_KEY_FILE: set one, not both');
  if (e.FLIGHTDECK_GITHUB_APP_ID) {
    let privateKey = e.FLIGHTDECK_GITHUB_PRIVATE_KEY?.replace(/\\n/g, '\n');
    if (e.FLIGHTDECK_GITHUB_KEY_FILE) {
      try {
        privateKey = readFileSync(e.FLIGHTDECK_GITHUB_KEY_FILE, 'utf8');
      } catch {
        issues.push('FLIGHTDECK_GITHUB_KEY_FILE: cannot be read');
      }
    }
    if (privateKey === undefined && !e.FLIGHTDECK_GITHUB_KEY_FILE)
      issues.push(
        'FLIGHTDECK_GITHUB_PRIVATE_KEY: required with FLIGHTDECK_GITHUB_APP_ID (or FLIGHTDECK_GITHUB_KEY_FILE)',
      );
    else if (privateKey !== undefined && !privateKey.includes('PRIVATE KEY-----'))
      issues.push('FLIGHTDECK_GITHUB_PRIVATE_KEY: must be a PEM private key');
    else if (privateKey !== undefined) auth = { kind: 'app', appId: e.FLIGHTDECK_GITHUB_APP_ID, privateKey };
    if (e.FLIGHTDECK_GITHUB_TOKEN)
      issues.push(
        'FLIGHTDECK_GITHUB_TOKEN: set a token or a GitHub App (FLIGHTDECK_GITHUB_APP_ID), not both',
      );
  } else if (e.FLIGHTDECK_GITHUB_PRIVATE_KEY || e.FLIGHTDECK_GITHUB_KEY_FILE) {
    issues.push('FLIGHTDECK_GITHUB_APP_ID: required with a GitHub App private key');
  } else if (e.FLIGHTDECK_GITHUB_TOKEN) {
    auth = { kind: 'token', token: e.FLIGHTDECK_GITHUB_TOKEN };
  }
  return {
    apiUrl: e.FLIGHTDECK_GITHUB_API_URL.replace(/\/+$/, ''),
    auth,
    webhookSecret: e.FLIGHTDECK_GITHUB_HOOK_SECRET ?? null,
    pollIntervalMs: e.FLIGHTDECK_GITHUB_POLL_SECONDS * 1000,
    maxWaitSeconds: e.FLIGHTDECK_GITHUB_WAIT_SECONDS,
  };
}

function oidcConfig(e: Env, issues: string[]): OidcConfig | null {
  if (!e.FLIGHTDECK_OIDC_ISSUER) {
    if (e.FLIGHTDECK_OIDC_CLIENT_ID)
      issues.push('FLIGHTDECK_OIDC_ISSUER: required with FLIGHTDECK_OIDC_CLIENT_ID');
    return null;
  }
  if (!e.FLIGHTDECK_OIDC_CLIENT_ID) {
    issues.push('FLIGHTDECK_OIDC_CLIENT_ID: required with FLIGHTDECK_OIDC_ISSUER');
    return null;
  }
  const groupRoles = new Map<string, Role>();
  for (const [group, role] of pairs(e.FLIGHTDECK_OIDC_GROUP_ROLES, 'FLIGHTDECK_OIDC_GROUP_ROLES', issues)) {
    if ((ROLES as readonly string[]).includes(role)) groupRoles.set(group, role as Role);
    else issues.push(`FLIGHTDECK_OIDC_GROUP_ROLES: "${role}" is not a role (${ROLES.join(', ')})`);
  }
  const groupTeams = new Map<string, { team: string; role: Role }>();
  for (const [group, target] of pairs(e.FLIGHTDECK_OIDC_GROUP_TEAMS, 'FLIGHTDECK_OIDC_GROUP_TEAMS', issues)) {
    const [team, role = 'deployer'] = target.split(':');
    if (!team || !(ROLES as readonly string[]).includes(role)) {
      issues.push(`FLIGHTDECK_OIDC_GROUP_TEAMS: "${target}" is not of the form team-slug:role`);
      continue;
    }
    groupTeams.set(group, { team, role: role as Role });
  }
  return {
    issuer: e.FLIGHTDECK_OIDC_ISSUER,
    clientId: e.FLIGHTDECK_OIDC_CLIENT_ID,
    clientSecret: e.FLIGHTDECK_OIDC_CLIENT_SECRET ?? null,
    name: e.FLIGHTDECK_OIDC_NAME,
    scopes: e.FLIGHTDECK_OIDC_SCOPES,
    groupsClaim: e.FLIGHTDECK_OIDC_GROUPS_CLAIM,
    groupRoles,
    groupTeams,
    allowHttp: e.FLIGHTDECK_OIDC_ALLOW_HTTP,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
