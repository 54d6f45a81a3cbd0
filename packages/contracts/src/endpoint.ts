import type { z } from 'zod';

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
  readonly params?: TParams;
  readonly query?: TQuery;
  readonly body?: TBody;
  readonly response: TResponse;
  readonly status?: number;
  readonly errors?: readonly number[];
}

export function defineEndpoint<
  TParams extends AnyObject | undefined = undefined,
  TQuery extends z.ZodType | undefined = undefined,
  TBody extends z.ZodType | undefined = undefined,
  TResponse extends z.ZodType = z.ZodType,
>(def: EndpointDef<TParams, TQuery, TBody, TResponse>): EndpointDef<TParams, TQuery, TBody, TResponse> {
  return def;
}

export type ResponseOf<E> =
  E extends EndpointDef<infer _P, infer _Q, infer _B, infer R> ? z.output<R> : never;
export type QueryInputOf<E> =
  E extends EndpointDef<infer _P, infer Q, infer _B, infer _R>
    ? Q extends z.ZodType
      ? z.input<Q>
      : never
    : never;
export type ParamsOf<E> =
  E extends EndpointDef<infer P, infer _Q, infer _B, infer _R>
    ? P extends z.ZodType
      ? z.input<P>
      : never
    : never;
export type BodyOf<E> =
  E extends EndpointDef<infer _P, infer _Q, infer B, infer _R>
    ? B extends z.ZodType
      ? z.input<B>
      : never
    : never;

// `/api/v1/services/{slug}` → `/api/v1/services/:slug` for Express-style routers.
export function toRouterPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
