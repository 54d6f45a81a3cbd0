import type { EndpointDef, ParamsOf, QueryInputOf, ResponseOf } from './endpoint.js';
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
  signal?: AbortSignal;
}

export interface ApiClient {
  request<E extends EndpointDef>(endpoint: E, options?: RequestOptions<E>): Promise<ResponseOf<E>>;
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

// Typed fetch client: every request and response type comes from the endpoint registry.
export function createApiClient(options: { baseUrl?: string; fetch?: typeof fetch } = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async request(endpoint, requestOptions = {}) {
      const url =
        baseUrl +
        buildPath(endpoint.path, requestOptions.params as Record<string, unknown> | undefined) +
        buildQuery(requestOptions.query as Record<string, unknown> | undefined);
      const response = await doFetch(url, {
        method: endpoint.method,
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
        signal: requestOptions.signal,
      });
      const text = await response.text();
      const body: unknown = text ? JSON.parse(text) : undefined;
      if (!response.ok) {
        const error = (body ?? {}) as Partial<ErrorBody>;
        throw new ApiError(
          response.status,
          error.code ?? 'HTTP_ERROR',
          error.message ?? `${endpoint.method} ${endpoint.path} answered ${response.status}`,
          error.details,
        );
      }
      return body as never;
    },
  };
}
