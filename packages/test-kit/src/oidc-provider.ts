import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Account, Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider';

// A person the test provider can sign in. `groups` and `emailVerified` are left out of the claims when
// undefined, as real providers do for users without them.
export interface OidcTestAccount {
  readonly sub: string;
  readonly email?: string;
  readonly name?: string;
  readonly emailVerified?: boolean;
  readonly groups?: readonly string[];
}

export interface StartOidcProviderOptions {
  readonly accounts?: readonly OidcTestAccount[];
  // The relying party's callback URLs, matched exactly as a real provider does.
  readonly redirectUris: readonly string[];
  readonly clientId?: string;
  readonly clientSecret?: string;
  // true: profile, email and groups claims go into the ID token too; false (the OIDC default): only
  // through the userinfo endpoint, so the relying party has to ask for them.
  readonly claimsInIdToken?: boolean;
}

export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  // Adds or replaces an account, e.g. to change someone's groups between two logins.
  setAccount(account: OidcTestAccount): void;
  // "METHOD /path" of every request the provider received (no query strings: they carry codes).
  readonly requests: readonly string[];
  close(): Promise<void>;
}

// Paths of the provider's own sign-in screen (see handleInteraction).
const INTERACTION = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;

// A real OpenID provider (panva's oidc-provider, the certified implementation) on loopback with one
// confidential client, PKCE required and consent implied, plus a minimal sign-in page that a browser or
// a plain HTTP client (see oidc-login.ts) can complete.
export async function startOidcProvider(options: StartOidcProviderOptions): Promise<TestOidcProvider> {
  const accounts = new Map<string, OidcTestAccount>();
  for (const account of options.accounts ?? []) accounts.set(account.sub, account);
  const clientId = options.clientId ?? 'flightdeck';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');

  // Listen first: the issuer URL has to name the port before the provider is built.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...options.redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // What Flightdeck sends, and the registration default of OpenID Connect.
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    conformIdTokenClaims: !(options.claimsInIdToken ?? false),
    pkce: { required: () => true },
    // Seconds; set so the provider does not print a notice for each default it falls back to.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Own keys, so the provider does not fall back to its published development keys.
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: 'test',
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: (_ctx, sub): Account | undefined => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          ...(account.email !== undefined && { email: account.email }),
          ...(account.emailVerified !== undefined && { email_verified: account.emailVerified }),
          ...(account.name !== undefined && { name: account.name }),
          ...(account.groups !== undefined && { groups: [...account.groups] }),
        }),
      };
    },
    // The client is first-party: every scope it asks for is granted without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const scope = ctx.oidc.params?.scope;
      grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid');
      await grant.save();
      return grant;
    },
  };
  // Loaded here, not at the top: every test imports the test kit, and the module warns on import.
  const { default: ProviderClass } = await import('oidc-provider');
  const provider = new ProviderClass(issuer, configuration);
  // The provider's own rendering of errors reaches the test's output otherwise.
  provider.on('server_error', () => undefined);
  const callback = provider.callback();
  const requests: string[] = [];
  handler = (req, res) => {
    const pathname = new URL(req.url ?? '/', issuer).pathname;
    requests.push(`${req.method ?? 'GET'} ${pathname}`);
    const match = INTERACTION.exec(pathname);
    if (!match) return void callback(req, res);
    handleInteraction(provider, accounts, req, res, match[2]).catch((error: unknown) => {
      res.statusCode = 400;
      res.setHeader('content-type', 'text/plain');
      res.end(error instanceof Error ? error.message : 'interaction failed');
    });
  };

  return {
    issuer,
    clientId,
    clientSecret,
    setAccount: (account) => void accounts.set(account.sub, account),
    requests,
    close: () => closeServer(server),
  };
}

// GET /interaction/:uid shows who can sign in; POST …/login signs in the account named in `login`;
// GET …/abort answers the client with access_denied, as a user pressing "Cancel" would.
async function handleInteraction(
  provider: Provider,
  accounts: ReadonlyMap<string, OidcTestAccount>,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (action === 'abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (action === 'login' && req.method === 'POST') {
    const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
    if (!accounts.has(login)) throw new Error(`No test account "${login}"`);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const options = [...accounts.keys()].map((sub) => `<option>${escapeHtml(sub)}</option>`).join('');
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(
    `<!doctype html><title>Test provider sign-in</title><form method="post" action="/interaction/${details.uid}/login">` +
      `<label>Account <select name="login">${options}</select></label><button>Sign in</button></form>` +
      `<a href="/interaction/${details.uid}/abort">Cancel</a>`,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
