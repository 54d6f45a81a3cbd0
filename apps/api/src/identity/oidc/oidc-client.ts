import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config/config.js';

// What Flightdeck needs from the provider after a login, and nothing else: tokens stay in this file.
export interface OidcClaims {
  readonly subject: string;
  readonly email: string | null;
  // null when the provider does not say.
  readonly emailVerified: boolean | null;
  readonly name: string | null;
  // null when the provider sent no groups claim.
  readonly groups: readonly string[] | null;
}

// One login's secrets: kept server-side until the provider sends the browser back.
export interface OidcLoginRequest {
  readonly url: URL;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export interface OidcCallback {
  // The callback URL as the provider called it: redirect URI plus code, state and iss.
  readonly callbackUrl: URL;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

// The port: one provider, its client credentials bound at construction.
export interface OidcClient {
  readonly issuer: string;
  beginLogin(redirectUri: string): Promise<OidcLoginRequest>;
  // Exchanges the code (PKCE), validates the ID token (signature, issuer, audience, nonce) and reads the
  // claims. Throws OidcClientError.
  finishLogin(callback: OidcCallback): Promise<OidcClaims>;
}

// A failure the audit log may quote: never carries a token, code or secret.
export class OidcClientError extends Error {
  override readonly name = 'OidcClientError';
}

export const OIDC_CLIENT = Symbol('OIDC_CLIENT');

// After a failed discovery, requests within this window fail at once instead of dialling the provider again.
const DISCOVERY_RETRY_MS = 10_000;
const HTTP_TIMEOUT_SECONDS = 10;

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

// Plain-http providers are accepted only on this machine's loopback (a provider next to Flightdeck, or
// tests), or where the operator said so explicitly: anywhere else a network attacker could forge the
// discovery document and the keys that sign ID tokens.
export function httpAllowedFor(url: URL, explicitlyAllowed: boolean): boolean {
  return (
    url.protocol === 'https:' || (url.protocol === 'http:' && (explicitlyAllowed || isLoopback(url.hostname)))
  );
}

export interface OpenIdClientOptions {
  // Accept an http issuer that is not on loopback (FLIGHTDECK_OIDC_ALLOW_HTTP).
  readonly allowHttp?: boolean;
}

// The openid-client adapter. Discovery happens once, on first use or warmUp(); a failure is retried
// at most every DISCOVERY_RETRY_MS, never once per request.
export class OpenIdClient implements OidcClient {
  private discovered: Promise<oidc.Configuration> | null = null;
  private lastFailure: { at: number; error: OidcClientError } | null = null;

  constructor(
    private readonly settings: OidcConfig,
    private readonly options: OpenIdClientOptions = {},
  ) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  async warmUp(): Promise<void> {
    await this.configuration();
  }

  async beginLogin(redirectUri: string): Promise<OidcLoginRequest> {
    const configuration = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, state, nonce, codeVerifier };
  }

  async finishLogin(callback: OidcCallback): Promise<OidcClaims> {
    const configuration = await this.configuration();
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callback.callbackUrl, {
        pkceCodeVerifier: callback.codeVerifier,
        expectedState: callback.state,
        expectedNonce: callback.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new OidcClientError('the provider returned no ID token');
      let claims: Record<string, unknown> = { ...idToken };
      // Many providers put profile claims only in userinfo (as the spec prefers when an access token is
      // issued): ask there when the ID token lacks what we need. The ID token wins where both speak.
      const missing = claims.email === undefined || claims[this.settings.groupsClaim] === undefined;
      if (missing && configuration.serverMetadata().userinfo_endpoint) {
        const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
        claims = { ...userinfo, ...claims };
      }
      return readClaims(claims, this.settings.groupsClaim);
    } catch (error) {
      throw toClientError(error);
    }
  }

  private configuration(): Promise<oidc.Configuration> {
    if (this.discovered) return this.discovered;
    const failure = this.lastFailure;
    if (failure && Date.now() - failure.at < DISCOVERY_RETRY_MS) return Promise.reject(failure.error);
    const attempt = this.discover().catch((error: unknown) => {
      const wrapped = toClientError(error, 'discovery failed');
      this.discovered = null;
      this.lastFailure = { at: Date.now(), error: wrapped };
      throw wrapped;
    });
    this.discovered = attempt;
    return attempt;
  }

  private async discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    const allowHttp = this.options.allowHttp ?? false;
    if (!httpAllowedFor(issuer, allowHttp)) {
      throw new OidcClientError(
        `issuer ${issuer.origin} is not https (plain http is accepted on loopback only)`,
      );
    }
    const insecure = issuer.protocol === 'http:';
    const clientAuth = this.settings.clientSecret
      ? oidc.ClientSecretBasic(this.settings.clientSecret)
      : oidc.None();
    const configuration = await oidc.discovery(issuer, this.settings.clientId, undefined, clientAuth, {
      // Deprecated only to make it stand out: accepted here under the rule in httpAllowedFor.
      execute: insecure ? [oidc.allowInsecureRequests] : [],
      timeout: HTTP_TIMEOUT_SECONDS,
    });
    if (insecure) {
      // An http issuer on loopback must not send us elsewhere over http.
      const metadata = configuration.serverMetadata();
      for (const endpoint of [metadata.authorization_endpoint, metadata.token_endpoint, metadata.jwks_uri]) {
        if (endpoint && !httpAllowedFor(new URL(endpoint), allowHttp)) {
          throw new OidcClientError(
            `the provider's endpoint ${new URL(endpoint).origin} is plain http off loopback`,
          );
        }
      }
    }
    return configuration;
  }
}

function readClaims(claims: Record<string, unknown>, groupsClaim: string): OidcClaims {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') throw new OidcClientError('the ID token has no subject');
  const email = typeof claims.email === 'string' && claims.email !== '' ? claims.email : null;
  // Some providers (Cognito) send booleans as strings.
  const verified = claims.email_verified;
  const emailVerified =
    verified === true || verified === 'true'
      ? true
      : verified === false || verified === 'false'
        ? false
        : null;
  const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : null;
  return { subject, email, emailVerified, name, groups: readGroups(claims[groupsClaim], groupsClaim) };
}

// A list of strings; a lone string is one group (Keycloak sends that for single-valued mappers). Anything
// else is refused rather than read as "no groups", which would silently revoke memberships.
function readGroups(value: unknown, claim: string): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((group): group is string => typeof group === 'string'))
    return value;
  throw new OidcClientError(`the "${claim}" claim is not a list of strings`);
}

// openid-client errors name what failed (code, OAuth error, which claim) without quoting tokens; keep
// just that.
function toClientError(error: unknown, context?: string): OidcClientError {
  if (error instanceof OidcClientError) return error;
  const prefix = context ? `${context}: ` : '';
  if (!(error instanceof Error)) return new OidcClientError(`${prefix}unexpected failure`);
  const {
    code,
    cause,
    error: oauthError,
    error_description: description,
  } = error as {
    code?: unknown;
    cause?: unknown;
    error?: unknown;
    error_description?: unknown;
  };
  // Provider answers (ResponseBodyError, WWWAuthenticateChallengeError, AuthorizationResponseError).
  if (typeof oauthError === 'string') {
    const said = typeof description === 'string' ? ` (${description.slice(0, 120)})` : '';
    return new OidcClientError(`${prefix}provider answered ${oauthError}${said}`);
  }
  const parts = [typeof code === 'string' ? code : null, error.message.split('\n')[0]?.slice(0, 160)];
  // Deeper down: the claim that failed validation (nonce, iss, aud…), the OAuth error of a
  // WWW-Authenticate challenge, or the network error (ECONNREFUSED…).
  let inner: unknown = cause;
  for (let depth = 0; depth < 3 && inner && typeof inner === 'object'; depth += 1) {
    const detail = inner as { claim?: unknown; code?: unknown; cause?: unknown };
    if (typeof detail.claim === 'string') parts.push(`claim "${detail.claim}"`);
    if (typeof detail.code === 'string' && detail.code !== code) parts.push(`(${detail.code})`);
    if (Array.isArray(inner)) {
      const challenged = (inner as Array<{ parameters?: { error?: unknown } }>)[0]?.parameters?.error;
      if (typeof challenged === 'string') parts.push(`provider answered ${challenged}`);
    }
    inner = detail.cause;
  }
  return new OidcClientError(`${prefix}${parts.filter(Boolean).join(' ')}`);
}
