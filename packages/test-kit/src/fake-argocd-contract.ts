import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

// Argo CD's swagger 2.0 document, vendored (see contracts/README.md). Tests check the requests the
// Argo CD client sends and the answers the fake serves against it.
export const ARGOCD_SWAGGER_PATH = new URL('../contracts/argocd-swagger.json', import.meta.url);

type Schema = Record<string, unknown>;
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'body' | 'header';
  readonly required?: boolean;
  readonly schema?: Schema;
}
interface Operation {
  readonly operationId: string;
  readonly parameters?: Parameter[];
  readonly responses: Record<string, { schema?: Schema }>;
}
interface Swagger {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly definitions: Record<string, Schema>;
}

export interface ContractExchange {
  readonly method: string;
  // Path and query as sent, e.g. /api/v1/applications/app/sync?project=x
  readonly url: string;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseBody: unknown;
}

// Objects with declared properties get `additionalProperties: false`: a misspelt field is a contract
// violation rather than silently ignored by Argo CD.
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, closed(v)]))
        : closed(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export class ArgoCdContract {
  private readonly swagger: Swagger;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.swagger = JSON.parse(readFileSync(ARGOCD_SWAGGER_PATH, 'utf8')) as Swagger;
    this.ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    this.ajv.addSchema({ $id: 'argocd', definitions: closed(this.swagger.definitions) }, 'argocd');
  }

  // The swagger operation for a method and a concrete path, with its path template.
  operation(method: string, path: string): { template: string; operation: Operation } | null {
    for (const [template, operations] of Object.entries(this.swagger.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const operation = operations[method.toLowerCase()];
      if (operation && pattern.test(path)) return { template, operation };
    }
    return null;
  }

  // Problems with one exchange (empty when it follows the document).
  check(exchange: ContractExchange): string[] {
    const url = new URL(exchange.url, 'http://argocd.invalid');
    const found = this.operation(exchange.method, url.pathname);
    const label = `${exchange.method} ${url.pathname}`;
    if (!found) return [`${label}: no such operation in Argo CD's API`];
    const { operation } = found;
    const problems: string[] = [];
    const params = operation.parameters ?? [];
    for (const key of url.searchParams.keys()) {
      if (!params.some((p) => p.in === 'query' && p.name === key))
        problems.push(`${label}: undeclared query parameter ${key}`);
    }
    const body = params.find((p) => p.in === 'body');
    if (body?.schema) {
      problems.push(...this.validate(body.schema, exchange.requestBody).map((e) => `${label} request: ${e}`));
    } else if (exchange.requestBody !== undefined) {
      problems.push(`${label}: takes no request body`);
    }
    const response = operation.responses[String(exchange.status)] ?? operation.responses.default;
    if (!response) problems.push(`${label}: no response ${exchange.status} declared`);
    else if (response.schema) {
      problems.push(
        ...this.validate(response.schema, exchange.responseBody).map(
          (e) => `${label} ${exchange.status}: ${e}`,
        ),
      );
    }
    return problems;
  }

  validateDefinition(name: string, value: unknown): string[] {
    return this.validate({ $ref: `#/definitions/${name}` }, value);
  }

  private validate(schema: Schema, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      const ref = typeof schema.$ref === 'string' ? schema.$ref.replace('#/', 'argocd#/') : null;
      validate = this.ajv.compile(ref ? { $ref: ref } : schema);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }
}
