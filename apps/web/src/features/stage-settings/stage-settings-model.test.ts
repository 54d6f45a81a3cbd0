import { stageDetailSchema } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildBody,
  durationSeconds,
  formatSeconds,
  formFromStage,
  toDurationInput,
} from './stage-settings-model';

const stage = stageDetailSchema.parse({
  id: '00000000-0000-4000-8000-000000000001',
  serviceId: '00000000-0000-4000-8000-000000000002',
  serviceSlug: 'checkout-api',
  environmentId: '00000000-0000-4000-8000-000000000003',
  environmentSlug: 'dev',
  driverKind: 'sandbox',
  soakSeconds: 0,
  deadlineSeconds: 90,
  autoPromote: false,
  upstreamStageIds: [],
  driverConfig: {},
  requiredChecks: [],
});

describe('stage settings model', () => {
  it('shows a duration in the largest unit that keeps it whole', () => {
    expect(toDurationInput(0)).toEqual({ amount: '0', unit: 'seconds' });
    expect(toDurationInput(90)).toEqual({ amount: '90', unit: 'seconds' });
    expect(toDurationInput(1800)).toEqual({ amount: '30', unit: 'minutes' });
    expect(toDurationInput(7200)).toEqual({ amount: '2', unit: 'hours' });
    expect(toDurationInput(604_800)).toEqual({ amount: '7', unit: 'days' });
  });

  it('reads whole seconds back, and nothing from a fraction of one', () => {
    expect(durationSeconds({ amount: '1.5', unit: 'minutes' })).toBe(90);
    expect(durationSeconds({ amount: '0.5', unit: 'seconds' })).toBeNull();
    expect(durationSeconds({ amount: '', unit: 'hours' })).toBeNull();
    expect(durationSeconds({ amount: 'soon', unit: 'hours' })).toBeNull();
    expect(formatSeconds(93_784)).toBe('1d 2h 3m 4s');
    expect(formatSeconds(0)).toBe('0s');
  });

  it('fills a sandbox stage stored without settings with the driver’s defaults', () => {
    const form = formFromStage(stage);
    expect(form.sandbox).toEqual({ durationSeconds: '20', failureRatePercent: '0', health: 'healthy' });
    expect(form.webhook.timeoutSeconds).toBe('10');
  });

  it('sends only what changed, a percentage as a rate', () => {
    const initial = formFromStage(stage);
    expect(buildBody(initial, initial)).toEqual({ body: {}, errors: {} });
    const changed = {
      ...initial,
      sandbox: { ...initial.sandbox, failureRatePercent: '12.5' },
      deadline: { amount: '2', unit: 'minutes' as const },
    };
    expect(buildBody(changed, initial).body).toEqual({
      driver: { kind: 'sandbox', config: { durationSeconds: 20, failureRate: 0.125, health: 'healthy' } },
      deadlineSeconds: 120,
    });
  });
});

describe('Argo CD settings', () => {
  const argoStage = {
    ...stage,
    driverKind: 'argocd' as const,
    driverConfig: {
      serverUrl: 'https://argocd.example.com',
      application: 'checkout',
      project: 'shop',
      appNamespace: null,
      mapping: { kind: 'helmParameter', parameter: 'image.tag', value: 'version' },
      prune: false,
      syncOptions: ['ApplyOutOfSyncOnly=true'],
      timeoutSeconds: 10,
      pollIntervalSeconds: 5,
      tokenSet: true,
    },
  };

  it('reads the stored settings and sends them back without a token, keeping what the form does not edit', () => {
    const initial = formFromStage(argoStage);
    expect(initial.argocd).toMatchObject({
      mappingKind: 'helmParameter',
      mappingTarget: 'image.tag',
      token: '',
    });
    const { body } = buildBody({ ...initial, argocd: { ...initial.argocd, prune: true } }, initial);
    expect(body.driver).toEqual({
      kind: 'argocd',
      config: {
        serverUrl: 'https://argocd.example.com',
        application: 'checkout',
        project: 'shop',
        appNamespace: null,
        mapping: { kind: 'helmParameter', parameter: 'image.tag', value: 'version' },
        prune: true,
        syncOptions: ['ApplyOutOfSyncOnly=true'],
        timeoutSeconds: 10,
        pollIntervalSeconds: 5,
      },
    });
  });

  it('sends a new token and a git revision mapping', () => {
    const initial = formFromStage(stage);
    const form = {
      ...initial,
      kind: 'argocd' as const,
      argocd: {
        ...initial.argocd,
        serverUrl: 'https://argo.example.com',
        application: 'web',
        token: 't0k3n',
      },
    };
    expect(buildBody(form, initial).body.driver).toMatchObject({
      kind: 'argocd',
      config: { token: 't0k3n', mapping: { kind: 'revision', value: 'commitSha' }, project: null },
    });
  });
});
