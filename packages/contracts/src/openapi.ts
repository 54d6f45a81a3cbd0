import { z } from 'zod';
import type { EndpointDef } from './endpoint.js';
// Importing registers the shared Error schema before components are collected.
import './schemas/common.js';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: a parameter is missing or invalid',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  422: 'Unprocessable',
};

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: (ctx) => {
      // Named schemas become components so the document stays readable.
      const id = z.globalRegistry.get(ctx.zodSchema)?.id;
      if (typeof id === 'string') {
        for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
        ctx.jsonSchema.$ref = `#/components/schemas/${id}`;
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

// Every schema registered with `.meta({ id })` becomes a component; nested uses refer to it.
function collectComponents(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
    delete schema.id;
  }
  return schemas;
}

function parametersOf(def: EndpointDef): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  const add = (location: 'path' | 'query', schema: z.ZodType | undefined): void => {
    if (!schema) return;
    const json = toSchema(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      parameters.push({
        name,
        in: location,
        required: location === 'path' || (required.has(name) && !('default' in property)),
        schema: property,
      });
    }
  };
  add('path', def.params);
  add('query', def.query);
  if (def.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Any unique string (e.g. a UUID) per intended create; retries with it return the first answer.',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  }
  return parameters;
}

export function buildOpenApiDocument(
  defs: readonly EndpointDef[],
  info: { title: string; version: string; description?: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const def of defs) {
    const responses: Record<string, JsonSchema> = {
      [String(def.status ?? 200)]: {
        description: 'OK',
        content: { [def.contentType ?? 'application/json']: { schema: toSchema(def.response, 'output') } },
      },
    };
    if (def.idempotent) {
      responses['200'] = {
        description:
          'Already done: the same request before (same Idempotency-Key, or the identical resource)',
        content: { 'application/json': { schema: toSchema(def.response, 'output') } },
      };
    }
    for (const status of def.errors ?? []) {
      responses[String(status)] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation: JsonSchema = {
      operationId: def.id,
      summary: def.summary,
      tags: [def.tag],
      parameters: parametersOf(def),
      responses,
      'x-flightdeck-access': def.access,
      ...(def.access === 'public' ? { security: [] } : {}),
    };
    if (def.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(def.body, 'input') } },
      };
    }
    paths[def.path] ??= {};
    paths[def.path]![def.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { schemas: collectComponents() },
  };
}
