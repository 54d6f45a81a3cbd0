import { describe, expect, it } from 'vitest';
import { type IncidentFacts, incidentChanges } from './incident-changes.js';

const stage = (service: string, environment: string) => ({
  stage: { service: { slug: service }, environment: { slug: environment } },
});

const base: IncidentFacts = {
  title: 'Checkout errors',
  summary: '',
  severityKey: 'P2',
  commander: null,
  stages: [stage('checkout-api', 'production'), stage('checkout-api', 'staging')],
};

describe('incident changes', () => {
  it('names each changed field with before and after', () => {
    expect(
      incidentChanges(base, {
        ...base,
        severityKey: 'P1',
        title: 'Checkout 500s',
        commander: { email: 'ic@example.test' },
        stages: [stage('inventory-sync', 'production'), stage('checkout-api', 'production')],
        summary: 'Payments provider down',
      }),
    ).toEqual([
      'Severity P2 → P1',
      'Title "Checkout errors" → "Checkout 500s"',
      'Commander nobody → ic@example.test',
      'Affected stages +inventory-sync/production, −checkout-api/staging',
      'Summary updated',
    ]);
  });

  it('says nothing for an unchanged incident or a reordered stage list, and notes a cleared summary', () => {
    expect(incidentChanges(base, { ...base, stages: [...base.stages].reverse() })).toEqual([]);
    expect(
      incidentChanges({ ...base, summary: 'x', commander: { email: 'a@x.test' } }, { ...base, summary: '' }),
    ).toEqual(['Commander a@x.test → nobody', 'Summary cleared']);
  });
});
