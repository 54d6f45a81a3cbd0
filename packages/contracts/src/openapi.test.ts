import { describe, expect, it } from 'vitest';
import { endpointList } from './endpoints.js';
import { buildOpenApiDocument } from './openapi.js';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument(endpointList, { title: 'Flightdeck', version: 'test' }) as {
    paths: Record<
      string,
      Record<string, { operationId: string; parameters: { name: string; in: string }[] }>
    >;
    components: { schemas: Record<string, unknown> };
  };

  it('has one operation per endpoint with unique ids', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.sort()).toEqual(endpointList.map((e) => e.id).sort());
  });

  it('describes path and query parameters', () => {
    const getService = doc.paths['/api/v1/services/{slug}']!.get!;
    expect(getService.parameters).toContainEqual(expect.objectContaining({ name: 'slug', in: 'path' }));
    const listDeployments = doc.paths['/api/v1/deployments']!.get!;
    expect(listDeployments.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'service', 'environment', 'status']),
    );
  });

  it('names shared schemas as components and refers to them', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Service', 'Board', 'Error']),
    );
    expect(JSON.stringify(doc)).toContain('#/components/schemas/Service');
  });
});
