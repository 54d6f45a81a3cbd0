import type { z } from 'zod';
import type { RouteAccess } from './permissions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type AnyObject = z.ZodObject<z.ZodRawShape>;

// One HTTP endpoint: the single source of its path, inputs and response shape.
// The API binds controllers to these, the OpenAPI document is built from them,
// and the web client infers its types from them.
export interface EndpointDef<
  TParams extends AnyObject | undefined = AnyObject | undefined,
  TQuery extends z.ZodType | undefined = z.ZodType | undefined,
  TBody extends z.ZodType | undefined = z.ZodType | undefined,
  TResponse extends z.ZodType = z.ZodType,
> {
  readonly id: string;
  readonly method: HttpMethod;
  // OpenAPI-style path, e.g. `/api/v1/services/{slug}`.
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  // Who may call it: checked by the API on every request, listed in the OpenAPI document.
  readonly access: RouteAccess;
  // Defaults to application/json; e.g. application/x-ndjson for an export stream.
  readonly contentType?: string;
  // A create that honours the Idempotency-Key header: the same key and request give the first answer,
  // the same key with another request is a 422.
  readonly idempotent?: boolean;
  readonly params?: TParams;
  readonly query?: TQuery;
  readonly body?: TBody;
  readonly response: TResponse;
  readonly status?: number;
  readonly errors?: readonly number[];
}

// Keeps the exact schema types of each entry, so handlers and clients infer from them.
export function defineEndpoint<const D extends EndpointDef>(def: D): D {
  return def;
}

export type ResponseOf<E> = E extends { response: infer R extends z.ZodType } ? z.output<R> : never;
export type QueryInputOf<E> = E extends { query: infer Q extends z.ZodType } ? z.input<Q> : never;
export type ParamsOf<E> = E extends { params: infer P extends z.ZodType } ? z.input<P> : never;
export type BodyOf<E> = E extends { body: infer B extends z.ZodType } ? z.input<B> : never;

// `/api/v1/services/{slug}` → `/api/v1/services/:slug` for Express-style routers.
export function toRouterPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

// What the server sees after validation (defaults applied, strings coerced).
export type QueryOf<E> = E extends { query: infer Q extends z.ZodType } ? z.output<Q> : never;
export type ParamsOutputOf<E> = E extends { params: infer P extends z.ZodType } ? z.output<P> : never;
export type BodyOutputOf<E> = E extends { body: infer B extends z.ZodType } ? z.output<B> : never;
