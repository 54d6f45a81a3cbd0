import {
  formatIncidentDuration,
  type Deployment,
  type Incident,
  type TimelineEntry,
} from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { renderIncidentMarkdown } from './incident-markdown.js';

const deployment = (fields: Partial<Deployment>): Deployment => ({
  id: '00000000-0000-4000-8000-000000000001',
  stageId: '00000000-0000-4000-8000-0000000000aa',
  serviceSlug: 'checkout-api',
  environmentSlug: 'production',
  release: { id: '00000000-0000-4000-8000-0000000000bb', version: 'v2.4.0', commitSha: 'abcdef1' },
  kind: 'promote',
  status: 'succeeded',
  requestedBy: 'maria.k@example.com',
  reason: '',
  driverKind: 'sandbox',
  driverExternalId: null,
  driverUrl: null,
  error: null,
  breakGlass: false,
  trainId: null,
  createdAt: '2026-11-22T09:30:00.000Z',
  queuedAt: null,
  startedAt: null,
  finishedAt: '2026-11-22T09:40:00.000Z',
  deadlineAt: null,
  ...fields,
});

const incident: Incident = {
  id: '00000000-0000-4000-8000-000000000010',
  number: 7,
  reference: 'INC-7',
  title: 'Checkout fails for card payments',
  severity: {
    key: 'P1',
    rank: 1,
    name: 'High',
    description: '',
    expectedResponseMinutes: 15,
    freezesProduction: true,
  },
  status: 'resolved',
  commander: { id: '00000000-0000-4000-8000-000000000020', email: 'sam@example.com', name: 'Sam Lee' },
  declaredBy: 'ops@example.com',
  detectedAt: '2026-11-22T10:00:00.000Z',
  acknowledgedAt: '2026-11-22T10:04:00.000Z',
  identifiedAt: '2026-11-22T10:20:00.000Z',
  monitoringAt: '2026-11-22T10:35:00.000Z',
  resolvedAt: '2026-11-22T11:05:30.000Z',
  durationSeconds: 3930,
  stages: [
    {
      stageId: '00000000-0000-4000-8000-0000000000aa',
      serviceSlug: 'checkout-api',
      environmentSlug: 'production',
      tier: 'production',
    },
  ],
  freezingProduction: false,
  createdAt: '2026-11-22T10:01:00.000Z',
  summary: 'Card payments returned 502.',
  impact: '12% of checkouts failed for 65 minutes.',
  rootCause: '',
  mttaSeconds: 240,
  mttrSeconds: 3930,
  responseOverdue: false,
  nextStatuses: [],
  actionItems: [
    {
      id: '00000000-0000-4000-8000-000000000030',
      title: 'Alert on 5xx rate per payment method',
      owner: { id: '00000000-0000-4000-8000-000000000020', email: 'sam@example.com', name: 'Sam Lee' },
      state: 'done',
      createdBy: 'ops@example.com',
      completedAt: '2026-11-23T09:00:00.000Z',
      createdAt: '2026-11-22T12:00:00.000Z',
    },
    {
      id: '00000000-0000-4000-8000-000000000031',
      title: 'Canary card payments',
      owner: null,
      state: 'open',
      createdBy: 'ops@example.com',
      completedAt: null,
      createdAt: '2026-11-22T12:01:00.000Z',
    },
  ],
  deployments: [
    {
      relation: 'cause',
      deployment: deployment({}),
      createdBy: 'sam@example.com',
      createdAt: '2026-11-22T10:21:00.000Z',
    },
    {
      relation: 'remediation',
      deployment: deployment({
        id: '00000000-0000-4000-8000-000000000002',
        kind: 'rollback',
        release: { id: '00000000-0000-4000-8000-0000000000cc', version: 'v2.3.9', commitSha: 'abcdef0' },
        requestedBy: 'sam@example.com',
      }),
      createdBy: 'sam@example.com',
      createdAt: '2026-11-22T10:21:00.000Z',
    },
  ],
};

const entry = (at: string, kind: TimelineEntry['kind'], actor: string, text: string): TimelineEntry => ({
  at,
  kind,
  actor,
  text,
  deploymentId: null,
  stageId: null,
  manual: kind === 'note' || kind === 'status' || kind === 'declared',
});

const timeline: TimelineEntry[] = [
  entry(
    '2026-11-22T09:40:00.000Z',
    'deployment',
    'runner',
    'Deploy of v2.4.0 to checkout-api/production succeeded',
  ),
  entry(
    '2026-11-22T10:01:00.000Z',
    'declared',
    'ops@example.com',
    'INC-7 declared as P1 (High): Checkout fails for card payments',
  ),
  entry('2026-11-22T10:10:00.000Z', 'note', 'sam@example.com', 'Only Visa | Mastercard\naffected'),
  entry(
    '2026-11-22T10:21:00.000Z',
    'rollback',
    'sam@example.com',
    'Rollback to v2.3.9 to checkout-api/production requested: INC-7: card errors',
  ),
  entry('2026-11-22T11:05:30.000Z', 'status', 'sam@example.com', 'Status: resolved'),
];

describe('incident Markdown export', () => {
  it('renders the incident, postmortem and timeline exactly', () => {
    expect(renderIncidentMarkdown(incident, timeline)).toBe(`# INC-7: Checkout fails for card payments

- Severity: P1 (High)
- Status: resolved
- Commander: Sam Lee (sam@example.com)
- Declared by: ops@example.com
- Affected stages: checkout-api/production
- Detected: 2026-11-22 10:00:00 UTC
- Acknowledged: 2026-11-22 10:04:00 UTC (MTTA 4m)
- Identified: 2026-11-22 10:20:00 UTC
- Monitoring: 2026-11-22 10:35:00 UTC
- Resolved: 2026-11-22 11:05:30 UTC (MTTR 1h 5m)

## Summary

Card payments returned 502.

## Impact

12% of checkouts failed for 65 minutes.

## Root cause

_None recorded._

## Action items

- [x] Alert on 5xx rate per payment method — Sam Lee
- [ ] Canary card payments — no owner

## Linked deployments

- cause: promote of v2.4.0 to checkout-api/production (succeeded), requested by maria.k@example.com
- remediation: rollback of v2.3.9 to checkout-api/production (succeeded), requested by sam@example.com

## Timeline

| Time (UTC) | Kind | Who | What |
| --- | --- | --- | --- |
| 2026-11-22 09:40:00 | deployment | runner | Deploy of v2.4.0 to checkout-api/production succeeded |
| 2026-11-22 10:01:00 | declared | ops@example.com | INC-7 declared as P1 (High): Checkout fails for card payments |
| 2026-11-22 10:10:00 | note | sam@example.com | Only Visa \\| Mastercard<br>affected |
| 2026-11-22 10:21:00 | rollback | sam@example.com | Rollback to v2.3.9 to checkout-api/production requested: INC-7: card errors |
| 2026-11-22 11:05:30 | status | sam@example.com | Status: resolved |
`);
  });

  it('formats durations for people', () => {
    expect([45, 240, 3930, 90_000].map(formatIncidentDuration)).toEqual(['45s', '4m', '1h 5m', '1d 1h']);
  });
});
