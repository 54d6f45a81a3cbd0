import { readFileSync } from 'node:fs';
import { ARGOCD_SWAGGER_PATH, ArgoCdContract, type FakeArgoCd, startFakeArgoCd } from '@flightdeck/test-kit';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argoApplicationSchema,
  argoErrorSchema,
  argoSyncWindowsSchema,
} from '../../src/drivers/argocd/argocd-api.js';
import { ArgoCdClient, ArgoCdError } from '../../src/drivers/argocd/argocd-client.js';

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };
const swagger = JSON.parse(readFileSync(ARGOCD_SWAGGER_PATH, 'utf8')) as {
  definitions: Record<string, Schema>;
};

function deref(schema: Schema): Schema {
  return schema.$ref ? deref(swagger.definitions[schema.$ref.replace('#/definitions/', '')]!) : schema;
}

// Every field our zod schema reads must exist, at the same place, in Argo CD's definition.
function unknownFields(ours: Schema, theirs: Schema, at: string): string[] {
  const mine = ours.anyOf ? (ours.anyOf.find((s) => s.properties || s.items) ?? ours) : ours;
  const def = deref(theirs);
  if (mine.items)
    return def.items ? unknownFields(mine.items, def.items, `${at}[]`) : [`${at}: not an array`];
  return Object.entries(mine.properties ?? {}).flatMap(([key, value]) => {
    const match = def.properties?.[key];
    return match ? unknownFields(value, match, `${at}.${key}`) : [`${at}.${key}`];
  });
}

describe('the Argo CD client follows Argo CD OpenAPI document', () => {
  it.each([
    ['v1alpha1Application', argoApplicationSchema],
    ['applicationApplicationSyncWindowsResponse', argoSyncWindowsSchema],
    ['runtimeError', argoErrorSchema],
  ] as const)('reads only fields that %s has', (definition, schema) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
    expect(unknownFields(json, { $ref: `#/definitions/${definition}` }, definition)).toEqual([]);
  });

  it('notices a field Argo CD does not have', () => {
    const misspelt = argoApplicationSchema.extend({
      status: z.object({ helth: z.object({ status: z.string() }).optional().catch(undefined) }).optional(),
    });
    const json = z.toJSONSchema(misspelt, { io: 'input', unrepresentable: 'any' }) as Schema;
    expect(unknownFields(json, { $ref: '#/definitions/v1alpha1Application' }, 'app')).toEqual([
      'app.status.helth',
    ]);
  });

  let argo: FakeArgoCd;
  let client: ArgoCdClient;
  const contract = new ArgoCdContract();

  beforeAll(async () => {
    argo = await startFakeArgoCd();
    argo.addApplication({
      name: 'shop',
      project: 'retail',
      history: [{ revision: 'v1.0.0' }, { revision: 'v1.1.0' }],
      source: {
        repoURL: 'https://git.example.com/shop.git',
        path: 'deploy',
        targetRevision: 'HEAD',
        kustomize: { images: ['ghcr.io/acme/shop:v1.1.0'] },
      },
      syncMs: 50,
    });
    client = new ArgoCdClient({
      serverUrl: argo.url,
      token: argo.token,
      timeoutMs: 2_000,
      project: 'retail',
    });
  });

  afterAll(async () => {
    await argo?.close();
  });

  it('sends requests and gets answers that validate against the document, for every call it makes', async () => {
    const app = await client.getApplication('shop', { refresh: 'normal' });
    expect(app.status?.history?.map((h) => h.id)).toEqual([1, 2]);
    expect((await client.syncWindows('shop')).canSync).toBe(true);
    await client.patch('shop', { spec: { source: { kustomize: { images: ['ghcr.io/acme/shop:v1.2.0'] } } } });
    const synced = await client.sync('shop', {
      revision: 'HEAD',
      prune: true,
      dryRun: false,
      syncOptions: { items: ['ApplyOutOfSyncOnly=true'] },
      infos: [{ name: 'flightdeck.deployment', value: 'd-1' }],
    });
    expect(synced.operation?.info).toEqual([{ name: 'flightdeck.deployment', value: 'd-1' }]);
    await expect(client.sync('shop', { prune: false, dryRun: false })).rejects.toMatchObject({
      kind: 'busy',
    });
    await client.terminateOperation('shop');
    await argo.waitFor(() => argo.app('shop').operation === null);
    await client.rollback('shop', { id: 1, prune: false, dryRun: false });
    await argo.waitFor(() => {
      const shop = argo.app('shop');
      return shop.operation === null && shop.operationState?.phase === 'Succeeded';
    });
    await expect(client.rollback('shop', { id: 99, prune: false, dryRun: false })).rejects.toMatchObject({
      kind: 'refused',
      argoMessage: 'application shop does not have deployment with id 99',
    });

    expect(argo.requests.length).toBeGreaterThanOrEqual(8);
    expect(argo.requests.flatMap((r) => contract.check(r))).toEqual([]);
  });

  it('catches a request the document does not allow', () => {
    const problems = contract.check({
      method: 'POST',
      url: '/api/v1/applications/shop/sync?prune=true',
      requestBody: { name: 'shop', revison: 'HEAD' },
      status: 200,
      responseBody: {
        metadata: { name: 'shop' },
        status: { health: { status: 'Healthy', colour: 'green' } },
      },
    });
    expect(problems).toEqual([
      'POST /api/v1/applications/shop/sync: undeclared query parameter prune',
      'POST /api/v1/applications/shop/sync request: / must NOT have additional properties (revison)',
      'POST /api/v1/applications/shop/sync 200: /status/health must NOT have additional properties (colour)',
    ]);
  });

  it('maps errors to what the caller should do', async () => {
    const wrong = new ArgoCdClient({ serverUrl: argo.url, token: 'wrong', timeoutMs: 2_000 });
    await expect(wrong.getApplication('shop')).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    await expect(client.getApplication('nope')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    const other = new ArgoCdClient({
      serverUrl: argo.url,
      token: argo.token,
      timeoutMs: 2_000,
      project: 'ops',
    });
    const forbidden = await other.sync('shop', { prune: false, dryRun: false }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(ArgoCdError);
    expect((forbidden as ArgoCdError).message).toContain('"applications, sync, ops/shop"');
    argo.setFault('shop', { kind: 'error500', times: 1 });
    await expect(client.getApplication('shop')).rejects.toMatchObject({ kind: 'unavailable', status: 500 });
    argo.setFault('shop', { kind: 'slow', delayMs: 500 });
    const hasty = new ArgoCdClient({ serverUrl: argo.url, token: argo.token, timeoutMs: 100 });
    await expect(hasty.getApplication('shop')).rejects.toMatchObject({ kind: 'timeout' });
    argo.setFault('shop', null);
    argo.setWindows('shop', [{ kind: 'deny', schedule: '* * * * *', duration: '1h', active: true }]);
    await expect(client.sync('shop', { prune: false, dryRun: false })).rejects.toMatchObject({
      kind: 'window',
    });
    argo.setWindows('shop', []);
    expect(argo.requests.filter((r) => r.status !== 0).flatMap((r) => contract.check(r))).toEqual([]);
  });
});
