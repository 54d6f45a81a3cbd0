export interface HttpResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

// A browser-like client: keeps cookies, sends Origin on changes like a browser does, and the CSRF
// token it learnt from the auth endpoints. With `bearer`, it is a CI client with an API token instead.
export class HttpClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly options: {
      bearer?: string;
      sendOrigin?: boolean;
      sendCsrf?: boolean;
      origin?: string;
    } = {},
  ) {}

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = unknown>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T = unknown>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.options.bearer) headers.authorization = `Bearer ${this.options.bearer}`;
    const unsafe = method !== 'GET' && method !== 'HEAD';
    if (unsafe && this.options.sendOrigin !== false)
      headers.origin = this.options.origin ?? new URL(this.baseUrl).origin;
    if (unsafe && this.csrfToken && this.options.sendCsrf !== false) headers['x-csrf-token'] = this.csrfToken;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { ...headers, ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=Thu, 01 Jan 1970)/i.test(a));
      if (!name) continue;
      if (expired || value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    const text = await response.text();
    const isJson = /^application\/(problem\+)?json/.test(response.headers.get('content-type') ?? '');
    const body = (isJson && text ? JSON.parse(text) : text) as T;
    const csrf = (body as { csrfToken?: unknown } | null)?.csrfToken;
    if (isJson && typeof csrf === 'string') this.csrfToken = csrf;
    return { status: response.status, body, headers: response.headers };
  }

  async signIn(email: string, password: string): Promise<HttpResponse<unknown>> {
    const response = await this.post('/api/v1/auth/login', { email, password });
    if (response.status !== 200)
      throw new Error(`sign-in as ${email} failed: ${JSON.stringify(response.body)}`);
    return response;
  }
}
