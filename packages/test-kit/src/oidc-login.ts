// A browser without a browser: an HTTP client that keeps cookies per origin and never follows redirects
// by itself, so a test can walk an OpenID Connect login hop by hop and stop anywhere (before the
// callback, to replay it, to inspect a Location).

export interface HttpReply {
  readonly url: string;
  readonly status: number;
  // The Location header resolved against the request URL; null when there is none.
  readonly location: string | null;
  readonly headers: Headers;
  readonly text: string;
}

interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

export class CookieBrowser {
  // Cookies by origin, then by name; host-only, as the servers under test set them.
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  // `aliases` maps an origin the app believes it has (its public URL) to where it really listens.
  constructor(private readonly aliases: Readonly<Record<string, string>> = {}) {}

  get(url: string, headers: Record<string, string> = {}): Promise<HttpReply> {
    return this.request('GET', url, undefined, headers);
  }

  post(url: string, form: Record<string, string>): Promise<HttpReply> {
    return this.request('POST', url, new URLSearchParams(form).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).origin)?.get(name)?.value;
  }

  cookieNames(origin: string): string[] {
    return [...(this.jar.get(new URL(origin).origin)?.keys() ?? [])];
  }

  private async request(
    method: string,
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<HttpReply> {
    const target = new URL(url);
    const cookieHeader = [...(this.jar.get(target.origin) ?? new Map<string, StoredCookie>())]
      .filter(([, cookie]) => target.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
    const real = this.aliases[target.origin];
    const sent = real ? new URL(target.pathname + target.search, real) : target;
    const response = await fetch(sent, {
      method,
      body,
      redirect: 'manual',
      headers: { ...headers, ...(cookieHeader && { cookie: cookieHeader }) },
    });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    const location = response.headers.get('location');
    return {
      url,
      status: response.status,
      location: location === null ? null : new URL(location, target).toString(),
      headers: response.headers,
      text: await response.text(),
    };
  }

  private store(from: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    if (at <= 0) return;
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    let path = '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', attributeValue = ''] = attribute.split('=');
      const lower = key.toLowerCase();
      if (lower === 'path' && attributeValue.startsWith('/')) path = attributeValue;
      if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true;
      if (lower === 'expires' && Date.parse(attribute.slice(key.length + 1)) <= Date.now()) expired = true;
    }
    const cookies = this.jar.get(from.origin) ?? new Map<string, StoredCookie>();
    this.jar.set(from.origin, cookies);
    if (expired) cookies.delete(name);
    else cookies.set(name, { value, path });
  }
}

export interface ProviderSignIn {
  // The account to sign in as on the provider's sign-in page.
  readonly login?: string;
  // Press "Cancel" on the provider's sign-in page instead: the provider answers access_denied.
  readonly deny?: boolean;
}

const INTERACTION_PATH = /^\/interaction\/([\w-]+)$/;

// Follows redirects from `startUrl` (the app's "sign in with SSO" link) through the provider, signing in
// on its page, until a redirect points at `callbackUrl`; returns that URL, not yet visited.
export async function signInAtProvider(
  browser: CookieBrowser,
  startUrl: string,
  callbackUrl: string,
  how: ProviderSignIn,
): Promise<string> {
  let url = startUrl;
  for (let hop = 0; hop < 20; hop += 1) {
    if (url.startsWith(`${callbackUrl}?`)) return url;
    const reply = await browser.get(url);
    if (reply.location && reply.status >= 300 && reply.status < 400) {
      url = reply.location;
      continue;
    }
    const current = new URL(url);
    const interaction = INTERACTION_PATH.exec(current.pathname);
    if (reply.status !== 200 || !interaction) {
      throw new Error(
        `Sign-in stopped at ${current.origin}${current.pathname}: ${reply.status} ${reply.text.slice(0, 300)}`,
      );
    }
    const base = `${current.origin}/interaction/${interaction[1]}`;
    if (how.deny) {
      url = `${base}/abort`;
      continue;
    }
    if (!how.login) throw new Error('The provider asks who signs in: pass `login`');
    const submitted = await browser.post(`${base}/login`, { login: how.login });
    if (!submitted.location)
      throw new Error(`Sign-in refused: ${submitted.status} ${submitted.text.slice(0, 300)}`);
    url = submitted.location;
  }
  throw new Error(`No redirect to ${callbackUrl} after 20 hops`);
}
