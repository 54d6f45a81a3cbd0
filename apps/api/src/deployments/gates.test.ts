import { describe, expect, it } from 'vitest';
import { evaluateGates, type GateInput, summarize } from './gates.js';

const now = new Date('2026-11-22T12:00:00Z');
const base: GateInput = {
  now,
  action: 'promote',
  environmentSlug: 'production',
  candidate: { id: 'r2', version: 'v1.4.2', quarantine: null },
  lock: null,
  hold: null,
  freezes: [],
  windows: null,
  busy: null,
  upstreams: [
    {
      environmentSlug: 'staging',
      soakSeconds: 600,
      succeededAt: new Date('2026-11-22T11:00:00Z'),
      inProgress: false,
    },
  ],
};

const blocking = (input: GateInput) => evaluateGates(input).filter((gate) => gate.state !== 'pass');

describe('gates', () => {
  it('lets a release through when nothing stands in the way, and says what passed', () => {
    const gates = evaluateGates(base);
    expect(gates.every((gate) => gate.state === 'pass')).toBe(true);
    expect(gates.map((gate) => gate.kind)).toEqual([
      'lock',
      'freeze',
      'window',
      'hold',
      'quarantine',
      'upstream',
      'soak',
    ]);
    expect(summarize(gates, 'Deploy v1.4.2 to production')).toBe('Deploy v1.4.2 to production');
  });

  it('blocks on a lock with who, when and why', () => {
    const gates = blocking({
      ...base,
      lock: { by: 'maria.k', reason: 'Card network maintenance', at: new Date('2026-11-22T11:20:00Z') },
    });
    expect(gates).toEqual([
      {
        kind: 'lock',
        state: 'fail',
        message: 'production is locked by maria.k since 11:20 UTC: Card network maintenance',
        until: null,
      },
    ]);
    expect(summarize(gates, 'x')).toBe(
      'Blocked: production is locked by maria.k since 11:20 UTC: Card network maintenance',
    );
  });

  it('blocks on every freeze over the stage, saying until when', () => {
    const gates = blocking({
      ...base,
      freezes: [{ reason: 'Year-end freeze', scope: 'environment', until: new Date('2027-01-04T08:00:00Z') }],
    });
    expect(gates[0]).toMatchObject({ kind: 'freeze', state: 'fail', until: '2027-01-04T08:00:00.000Z' });
    expect(gates[0]!.message).toBe('Frozen (environment) until Jan 4 08:00 UTC: Year-end freeze');
  });

  it('blocks a held release, but not another one', () => {
    expect(blocking({ ...base, hold: { releaseId: 'r2', reason: 'error rate' } })[0]!.message).toBe(
      'v1.4.2 was rolled back from production and is held there: error rate',
    );
    expect(blocking({ ...base, hold: { releaseId: 'r1', reason: null } })).toEqual([]);
  });

  it('needs success upstream: fails when missing, waits while it deploys there', () => {
    const missing = { ...base, upstreams: [{ ...base.upstreams[0]!, succeededAt: null }] };
    expect(blocking(missing)).toEqual([
      {
        kind: 'upstream',
        state: 'fail',
        message: 'v1.4.2 has not succeeded in staging; promote it there first',
        until: null,
      },
    ]);
    const deploying = {
      ...base,
      upstreams: [{ ...base.upstreams[0]!, succeededAt: null, inProgress: true }],
    };
    expect(blocking(deploying)[0]).toMatchObject({ kind: 'upstream', state: 'waiting' });
  });

  it('waits out the soak time of the upstream stage', () => {
    const fresh = {
      ...base,
      upstreams: [{ ...base.upstreams[0]!, succeededAt: new Date('2026-11-22T11:56:00Z') }],
    };
    expect(blocking(fresh)).toEqual([
      {
        kind: 'soak',
        state: 'waiting',
        message: 'Soaking in staging for 6 minutes more (until 12:06 UTC)',
        until: '2026-11-22T12:06:00.000Z',
      },
    ]);
    expect(summarize(evaluateGates(fresh), 'x')).toMatch(/^Waiting: Soaking in staging/);
  });

  it('checks every upstream stage of a fan-in', () => {
    const fanIn = {
      ...base,
      upstreams: [
        {
          environmentSlug: 'staging-eu',
          soakSeconds: 0,
          succeededAt: new Date('2026-11-22T10:00:00Z'),
          inProgress: false,
        },
        { environmentSlug: 'staging-us', soakSeconds: 0, succeededAt: null, inProgress: false },
      ],
    };
    expect(blocking(fanIn).map((gate) => gate.message)).toEqual([
      'v1.4.2 has not succeeded in staging-us; promote it there first',
    ]);
  });

  it('waits while another deployment runs on the stage', () => {
    const busy = { ...base, busy: { version: 'v1.4.1', status: 'running', requestedBy: 'ana@example.com' } };
    expect(blocking(busy)).toEqual([
      {
        kind: 'busy',
        state: 'waiting',
        message: 'v1.4.1 is running on production (requested by ana@example.com); this starts after it',
        until: null,
      },
    ]);
  });

  it('refuses a quarantined release everywhere, saying who and why', () => {
    const bad = {
      ...base,
      candidate: {
        ...base.candidate,
        quarantine: { by: 'ana@example.com', reason: 'leaks memory', at: new Date('2026-11-22T11:30:00Z') },
      },
    };
    expect(blocking(bad)).toEqual([
      {
        kind: 'quarantine',
        state: 'fail',
        message: 'v1.4.2 is quarantined by ana@example.com since 11:30 UTC: leaks memory',
        until: null,
      },
    ]);
  });

  it('waits outside the deployment windows until the next one opens', () => {
    const closed = {
      ...base,
      windows: { open: null, next: { name: 'Business hours', at: new Date('2026-11-23T09:00:00Z') } },
    };
    expect(blocking(closed)).toEqual([
      {
        kind: 'window',
        state: 'waiting',
        message: "Outside production's deployment windows; Business hours opens at Nov 23 09:00 UTC",
        until: '2026-11-23T09:00:00.000Z',
      },
    ]);
    const open = {
      ...base,
      windows: { open: { name: 'Business hours', until: new Date('2026-11-22T17:00:00Z') }, next: null },
    };
    expect(evaluateGates(open).find((gate) => gate.kind === 'window')).toEqual({
      kind: 'window',
      state: 'pass',
      message: "Inside production's deployment window Business hours (open until 17:00 UTC)",
      until: null,
    });
  });

  it('lets a rollback through freezes and outside deployment windows, saying so', () => {
    const rollback = {
      ...base,
      action: 'rollback' as const,
      freezes: [{ reason: 'Black Friday', scope: 'all', until: new Date('2026-11-22T18:00:00Z') }],
      windows: { open: null, next: { name: 'Business hours', at: new Date('2026-11-23T09:00:00Z') } },
    };
    const gates = evaluateGates(rollback);
    expect(gates.every((gate) => gate.state === 'pass')).toBe(true);
    expect(gates.find((gate) => gate.kind === 'freeze')!.message).toBe(
      'Frozen (everything) until 18:00 UTC: Black Friday; rollbacks may go through',
    );
    expect(gates.find((gate) => gate.kind === 'window')!.message).toBe(
      "Outside production's deployment windows; rollbacks may go at any time",
    );
  });

  it('waits for the requester to confirm the checklist, and lets rollbacks skip it', () => {
    const gateOf = (checklist: GateInput['checklist'], action: GateInput['action'] = 'promote') =>
      evaluateGates({ ...base, action, checklist }).find((gate) => gate.kind === 'checklist');
    expect(gateOf(null)).toBeUndefined();
    expect(gateOf({ total: 3, confirmed: null })).toMatchObject({
      state: 'waiting',
      message: '3 checklist items to confirm after requesting',
    });
    expect(gateOf({ total: 3, confirmed: 2 })).toMatchObject({
      state: 'waiting',
      message: '2 of 3 checklist items confirmed by the requester',
    });
    expect(gateOf({ total: 1, confirmed: 1 })).toMatchObject({
      state: 'pass',
      message: 'All 1 checklist item confirmed by the requester',
    });
    expect(gateOf({ total: 2, confirmed: 0 }, 'rollback')).toMatchObject({ state: 'pass' });
  });
});
