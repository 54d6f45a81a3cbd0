import type { BodyOf, EndpointDef, ParamsOf, QueryInputOf, ResponseOf } from './endpoint.js';
import type { ErrorBody } from './schemas/common.js';

// An API answer that was not a 2xx, carrying the server's stable error code.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions<E> {
  params?: ParamsOf<E>;
  query?: QueryInputOf<E>;
  // Sent as JSON.
  body?: BodyOf<E>;
  // Added after the client-wide headers, so a request can override them.
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiClient {
  request<E extends EndpointDef>(endpoint: E, options?: RequestOptions<E>): Promise<ResponseOf<E>>;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  // Headers for every request, computed per request: e.g. a CSRF token that changes at sign-in.
  getHeaders?: (endpoint: EndpointDef) => Record<string, string | null | undefined> | undefined;
}

function toParam(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${value}`;
  throw new Error(`cannot put ${typeof value} in a URL`);
}

export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter "${name}"`);
    return encodeURIComponent(toParam(value));
  });
}

export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search.set(key, Array.isArray(value) ? value.map(toParam).join(',') : toParam(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// Error answers from something other than the API (a proxy's HTML page, an empty 502) carry no JSON.
function parseErrorBody(text: string): Partial<ErrorBody> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

// Typed fetch client: every request and response type comes from the endpoint registry.
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async request(endpoint, requestOptions = {}) {
      const url =
        baseUrl +
        buildPath(endpoint.path, requestOptions.params as Record<string, unknown> | undefined) +
        buildQuery(requestOptions.query as Record<string, unknown> | undefined);
      const headers: Record<string, string> = { accept: 'application/json' };
      const hasBody = requestOptions.body !== undefined;
      if (hasBody) headers['content-type'] = 'application/json';
      for (const [name, value] of Object.entries(options.getHeaders?.(endpoint) ?? {})) {
        if (value !== undefined && value !== null) headers[name.toLowerCase()] = value;
      }
      for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
        headers[name.toLowerCase()] = value;
      }
      const response = await doFetch(url, {
        method: endpoint.method,
        headers,
        body: hasBody ? JSON.stringify(requestOptions.body) : undefined,
        credentials: 'same-origin',
        signal: requestOptions.signal,
      });
      const text = await response.text();
      if (!response.ok) {
        const error = parseErrorBody(text);
        throw new ApiError(
          response.status,
          typeof error.code === 'string' ? error.code : 'HTTP_ERROR',
          typeof error.message === 'string'
            ? error.message
            : `${endpoint.method} ${endpoint.path} answered ${response.status}`,
          error.details,
        );
      }
      const body: unknown = text ? JSON.parse(text) : undefined;
      return body as never;
    },
  };
}
