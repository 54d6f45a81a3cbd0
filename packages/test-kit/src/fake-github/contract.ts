import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

// GitHub's REST OpenAPI description (@octokit/openapi, api.github.com) checks every exchange the fake
// serves. The document is ~70 MB, so the operations used are cut out with the components they refer to
// and cached beside the test kit's node_modules; an operation not in the cache yet (a route someone
// just added) loads the whole document once and extends the cache.

type Schema = Record<string, unknown>;
interface Operation {
  readonly parameters?: Schema[];
  readonly requestBody?: Schema;
  readonly responses: Record<string, Schema>;
}
interface Trimmed {
  version: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Schema>>;
}

export interface GitHubExchange {
  readonly method: string;
  readonly template: string;
  readonly query: URLSearchParams;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseBody: unknown;
}

const require = createRequire(import.meta.url);
const CACHE_DIR = path.resolve(import.meta.dirname, '../../node_modules/.cache/flightdeck-test-kit');

function openapiVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

let fullDocument: Trimmed | null = null;
function loadFull(): Trimmed {
  fullDocument ??= JSON.parse(
    readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
  ) as Trimmed;
  return fullDocument;
}

// Every "#/components/<kind>/<name>" an object refers to, transitively.
function collectRefs(value: unknown, from: Trimmed, into: Trimmed): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, from, into);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string') {
      const [, , kind, name] = inner.split('/');
      if (!kind || !name || into.components[kind]?.[name]) continue;
      const target = from.components[kind]?.[name];
      if (!target) continue;
      (into.components[kind] ??= {})[name] = target;
      collectRefs(target, from, into);
    } else collectRefs(inner, from, into);
  }
}

function cachePath(version: string): string {
  return path.join(CACHE_DIR, `github-openapi-${version}.json`);
}

function readCache(version: string): Trimmed {
  try {
    const cached = JSON.parse(readFileSync(cachePath(version), 'utf8')) as Trimmed;
    if (cached.version === version) return cached;
  } catch {
    // No cache yet.
  }
  return { version, paths: {}, components: {} };
}

function writeCache(trimmed: Trimmed): void {
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written aside and renamed, so parallel test files never read half a file.
  const temp = `${cachePath(trimmed.version)}.${process.pid}.${Date.now()}`;
  writeFileSync(temp, JSON.stringify(trimmed));
  renameSync(temp, cachePath(trimmed.version));
}

// Objects with declared properties get `additionalProperties: false` (outside allOf, whose parts each
// declare only some): a field GitHub does not have is a contract violation. OpenAPI 3.0's `nullable`
// becomes JSON Schema's null type.
function closed(schema: unknown, inAllOf = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closed(s, inAllOf));
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Schema;
  if (nullable === true) {
    const inner = closed(rest, inAllOf) as Schema;
    if (typeof inner.type === 'string') {
      const enumValues = Array.isArray(inner.enum) ? { enum: [...(inner.enum as unknown[]), null] } : {};
      return { ...inner, type: [inner.type, 'null'], ...enumValues };
    }
    return { anyOf: [inner, { type: 'null' }] };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties')
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, closed(v)]));
    else if (key === 'allOf') out[key] = (value as unknown[]).map((s) => closed(s, true));
    else out[key] = closed(value);
  }
  if (out.properties && out.additionalProperties === undefined && !inAllOf) out.additionalProperties = false;
  return out;
}

export class GitHubContract {
  private trimmed: Trimmed;
  private ajv: Ajv | null = null;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.trimmed = readCache(openapiVersion());
  }

  operation(method: string, template: string): Operation | null {
    const lower = method.toLowerCase();
    let found = this.trimmed.paths[template]?.[lower];
    if (found) return found;
    const full = loadFull();
    found = full.paths[template]?.[lower];
    if (!found) return null;
    // Re-read: another test file may have extended the cache meanwhile.
    const next = readCache(this.trimmed.version);
    (next.paths[template] ??= {})[lower] = found;
    collectRefs(found, full, next);
    writeCache(next);
    this.trimmed = next;
    this.ajv = null;
    this.compiled.clear();
    return found;
  }

  // Problems with one exchange (empty when it follows GitHub's description).
  check(exchange: GitHubExchange): string[] {
    const label = `${exchange.method} ${exchange.template}`;
    const operation = this.operation(exchange.method, exchange.template);
    if (!operation) return [`${label}: no such operation in GitHub's REST API`];
    const problems: string[] = [];
    const parameters = (operation.parameters ?? []).map((p) => this.deref(p));
    for (const key of new Set(exchange.query.keys())) {
      if (!parameters.some((p) => p.in === 'query' && p.name === key))
        problems.push(`${label}: undeclared query parameter ${key}`);
    }
    const requestSchema = this.jsonSchema(operation.requestBody);
    if (requestSchema && exchange.requestBody !== undefined)
      problems.push(
        ...this.validate(requestSchema, exchange.requestBody).map((e) => `${label} request: ${e}`),
      );
    else if (!requestSchema && exchange.requestBody !== undefined && exchange.method !== 'GET')
      problems.push(`${label}: takes no request body`);
    const response = operation.responses[String(exchange.status)] ?? operation.responses.default;
    if (!response) {
      // Rate limits, 401 and 5xx can answer any operation on GitHub, declared or not.
      if (![401, 403, 429, 500, 502, 503].includes(exchange.status))
        problems.push(`${label}: no response ${exchange.status} declared`);
      return problems;
    }
    const responseSchema = this.jsonSchema(response);
    if (responseSchema && exchange.responseBody !== undefined)
      problems.push(
        ...this.validate(responseSchema, exchange.responseBody).map(
          (e) => `${label} ${exchange.status}: ${e}`,
        ),
      );
    return problems;
  }

  private deref(value: Schema): Schema {
    const ref = value.$ref;
    if (typeof ref !== 'string') return value;
    const [, , kind, name] = ref.split('/');
    return this.trimmed.components[kind!]?.[name!] ?? {};
  }

  private jsonSchema(holder: Schema | undefined): Schema | null {
    if (!holder) return null;
    const content = this.deref(holder).content as Record<string, { schema?: Schema }> | undefined;
    return content?.['application/json']?.schema ?? null;
  }

  private validate(schema: Schema, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      if (!this.ajv) {
        this.ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
        this.ajv.addSchema({ $id: 'github', components: closed(this.trimmed.components) }, 'github');
      }
      validate = this.ajv.compile(
        closed(JSON.parse(key.replaceAll('"#/components/', '"github#/components/'))) as Schema,
      );
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? [])
      .slice(0, 10)
      .map(
        (e) =>
          `${e.instancePath || '/'} ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      );
  }
}
