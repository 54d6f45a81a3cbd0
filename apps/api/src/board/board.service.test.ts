import { describe, expect, it } from 'vitest';
import type { BoardStageRow } from './board.repository.js';
import { findWaitingRelease } from './board.service.js';

type StageRow = BoardStageRow;

const release = (id: string, hoursAgo: number) => ({
  id,
  version: id,
  commitSha: `${id}-sha`,
  createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
});

function stage(id: string, current: ReturnType<typeof release> | null, upstreams: string[] = []): StageRow {
  return {
    id,
    environmentId: `env-${id}`,
    driverKind: 'sandbox',
    upstreams: upstreams.map((upstreamStageId) => ({ upstreamStageId })),
    state: {
      currentSince: current ? new Date() : null,
      health: 'healthy',
      healthMessage: '',
      holdReason: null,
      holdRelease: null,
      lockedBy: null,
      lockReason: null,
      lockedAt: null,
      currentRelease: current,
      lastDeployment: null,
    },
  };
}

describe('a release waiting upstream', () => {
  const v1 = release('v1', 48);
  const v2 = release('v2', 2);

  it('is the newer release every upstream stage runs', () => {
    const staging = stage('staging', v2);
    const production = stage('production', v1, ['staging']);
    const byId = new Map([staging, production].map((s) => [s.id, s]));
    expect(findWaitingRelease(production, byId)?.id).toBe('v2');
  });

  it('is nothing when the stage already runs it, runs something newer, or has no upstream', () => {
    const staging = stage('staging', v1);
    const production = stage('production', v2, ['staging']);
    const byId = new Map([staging, production].map((s) => [s.id, s]));
    expect(findWaitingRelease(production, byId)).toBeNull();
    expect(findWaitingRelease(staging, byId)).toBeNull();
    const same = stage('production', v1, ['staging']);
    expect(findWaitingRelease(same, new Map([[staging.id, staging]]))).toBeNull();
  });

  it('is nothing while upstream stages disagree (a fan-in DAG waits for all of them)', () => {
    const east = stage('east', v2);
    const west = stage('west', v1);
    const production = stage('production', null, ['east', 'west']);
    const byId = new Map([east, west, production].map((s) => [s.id, s]));
    expect(findWaitingRelease(production, byId)).toBeNull();
  });

  it('is nothing when that release is already on its way to the stage', () => {
    const staging = stage('staging', v2);
    const production = stage('production', v1, ['staging']);
    production.state!.lastDeployment = {
      id: 'd1',
      status: 'running',
      kind: 'promote',
      breakGlass: false,
      createdAt: new Date(),
      finishedAt: null,
      release: v2,
    };
    const byId = new Map([staging, production].map((s) => [s.id, s]));
    expect(findWaitingRelease(production, byId)).toBeNull();
  });
});
