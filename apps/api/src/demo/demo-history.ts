import { createHash, randomUUID } from 'node:crypto';
import type { DeploymentStatus } from '@flightdeck/contracts';
import { DEMO_NOTES, DEMO_PEOPLE, type DemoService } from './demo-catalog.js';

// A deterministic pseudo-random stream per service, so every fresh demo tells the same story.
function randomStream(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface PlannedRelease {
  id: string;
  version: string;
  commitSha: string;
  notes: string;
  createdAt: Date;
  // The commit's time, a little before the release was cut (lead time for changes starts here).
  committedAt: Date;
}

export interface PlannedDeployment {
  id: string;
  stageSlug: string;
  releaseId: string;
  kind: 'promote' | 'rollback';
  status: Extract<DeploymentStatus, 'succeeded' | 'failed'>;
  requestedBy: string;
  reason: string;
  error: string | null;
  createdAt: Date;
  finishedAt: Date;
}

export interface ServiceHistory {
  releases: PlannedRelease[];
  deployments: PlannedDeployment[];
}

// How far each environment lags behind the one before it after a release is cut.
const LAG_BY_ENVIRONMENT: Record<string, number> = {
  preview: 8 * MINUTE,
  dev: 25 * MINUTE,
  staging: 4 * HOUR,
  production: 26 * HOUR,
};

// Releases move along the service's path; newer ones have not reached production yet,
// and a few deployments fail, so the board shows what a real week looks like.
export function planHistory(service: DemoService, now: Date, failEnvironment?: string): ServiceHistory {
  const random = randomStream(service.slug);
  // Streams of their own, so commit times and rollbacks leave the rest of the story as it was.
  const commitRandom = randomStream(`${service.slug}:commits`);
  const releases: PlannedRelease[] = [];
  const deployments: PlannedDeployment[] = [];
  const spacing = (30 * 24 * HOUR) / service.releases;
  for (let i = 0; i < service.releases; i++) {
    // The newest release was cut hours ago, so it is still on its way and waits before production.
    const age =
      i === service.releases - 1
        ? (5 + random() * 14) * HOUR
        : (service.releases - i) * spacing - random() * spacing * 0.4;
    const createdAt = new Date(now.getTime() - age);
    const release: PlannedRelease = {
      id: randomUUID(),
      version: `v1.${Math.floor(i / 4) + 2}.${i % 4}`,
      commitSha: createHash('sha1').update(`${service.slug}:${i}`).digest('hex'),
      notes: DEMO_NOTES[Math.floor(random() * DEMO_NOTES.length)] ?? '',
      createdAt,
      committedAt: new Date(createdAt.getTime() - (0.5 + commitRandom() * 20) * HOUR),
    };
    releases.push(release);
    let at = createdAt.getTime();
    for (const environment of service.environments) {
      at += (LAG_BY_ENVIRONMENT[environment] ?? HOUR) * (0.6 + random() * 0.8);
      if (at > now.getTime() - 5 * MINUTE) break;
      const isLast = i === service.releases - 1;
      const fails = (failEnvironment === environment && i === service.releases - 2) || random() < 0.04;
      const person = DEMO_PEOPLE[Math.floor(random() * DEMO_PEOPLE.length)] ?? 'deploy-bot';
      const duration = (2 + random() * 6) * MINUTE;
      deployments.push({
        id: randomUUID(),
        stageSlug: environment,
        releaseId: release.id,
        kind: 'promote',
        status: fails && !isLast ? 'failed' : 'succeeded',
        requestedBy: person,
        reason: environment === 'production' ? `Promote ${release.version} to production` : '',
        error:
          fails && !isLast ? 'sandbox: simulated failure — readiness probe failed on 2 of 3 replicas' : null,
        createdAt: new Date(at),
        finishedAt: new Date(at + duration),
      });
      if (fails && !isLast) break;
      at += duration;
    }
  }
  // Each rollback right after the change it reverts: the seeder reads the current release from this order.
  const rollbacks = plannedRollbacks(deployments, releases, randomStream(`${service.slug}:rollbacks`));
  return {
    releases,
    deployments: deployments.flatMap((deployment) => [deployment, ...(rollbacks.get(deployment.id) ?? [])]),
  };
}

// Now and then production goes back to the release before within hours, so delivery metrics have
// failed changes and restores to show. Only where the next release came much later, to keep order.
function plannedRollbacks(
  deployments: readonly PlannedDeployment[],
  releases: readonly PlannedRelease[],
  random: () => number,
): Map<string, PlannedDeployment[]> {
  const production = deployments
    .filter((deployment) => deployment.stageSlug === 'production' && deployment.status === 'succeeded')
    .sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
  const rollbacks = new Map<string, PlannedDeployment[]>();
  // Never one of the last two changes, so what runs now and its rollback target stay plain promotions.
  for (let i = 1; i < production.length - 2; i++) {
    const [before, change, next] = [production[i - 1]!, production[i]!, production[i + 1]!];
    const requestedAt = change.finishedAt.getTime() + (0.5 + random() * 2) * HOUR;
    if (random() >= 0.15 || next.createdAt.getTime() < requestedAt + 2 * HOUR) continue;
    const version = releases.find((release) => release.id === change.releaseId)?.version ?? 'it';
    rollbacks.set(change.id, [
      {
        id: randomUUID(),
        stageSlug: 'production',
        releaseId: before.releaseId,
        kind: 'rollback',
        status: 'succeeded',
        requestedBy: change.requestedBy,
        reason: `Error rate up after ${version}`,
        error: null,
        createdAt: new Date(requestedAt),
        finishedAt: new Date(requestedAt + (3 + random() * 6) * MINUTE),
      },
    ]);
  }
  return rollbacks;
}
