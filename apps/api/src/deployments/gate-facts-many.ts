import type { PolicyWindowInput } from '@flightdeck/contracts';
import { z } from 'zod';
import type { ApprovalFacts } from '../approvals/approval-rules.js';
import {
  approvalFactsOf,
  approvalGatesApply,
  findDecisionsFor,
  findEffectivePolicies,
  policyWindowsOf,
} from '../approvals/approvals.repository.js';
import { groupBy } from '../common/group-by.js';
import type { Tx } from '../database/prisma.service.js';
import type { ActiveFreeze } from '../freezes/freezes.service.js';
import type { IncidentGateFacts } from '../incidents/incident-gate.js';
import { type ChecksGateFacts, commitCheckSchema, repoKey } from '../integrations/github/checks-gate.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { GateInput } from './gates.js';
import type { StageForGates } from './gate-facts.js';

export const IN_FLIGHT = ['pending', 'queued', 'running', 'verifying'] as const;
export const ACTIVE = ['queued', 'running', 'verifying'] as const;
// Fixed orders, so that one deployment's gates read the same whichever loader read its facts.
export const WINDOW_ORDER = [
  { createdAt: 'asc' },
  { id: 'asc' },
] as const satisfies Prisma.DeploymentWindowOrderByWithRelationInput[];
export const BUSY_ORDER = [
  { createdAt: 'asc' },
  { id: 'asc' },
] as const satisfies Prisma.DeploymentOrderByWithRelationInput[];
export const BUSY_SELECT = {
  status: true,
  requestedBy: true,
  release: { select: { version: true } },
} as const satisfies Prisma.DeploymentSelect;

export interface GateCandidate {
  readonly id: string;
  readonly version: string;
  readonly quarantinedBy: string | null;
  readonly quarantineReason: string | null;
  readonly quarantinedAt: Date | null;
}

// What the gates need about one stage, one candidate and (once it exists) one deployment, as read from
// the database; `gateInputOf` turns it into the evaluator's input.
export interface LoadedGateFacts {
  // The candidate already succeeded on this stage (a redeploy, or going back to it).
  readonly ranHere: boolean;
  // Upstream stage id → when the candidate last succeeded there.
  readonly succeededAt: ReadonlyMap<string, Date | null>;
  // Upstream stage ids where the candidate is on its way.
  readonly inFlight: ReadonlySet<string>;
  // Every freeze open now; the stage's are picked from these.
  readonly freezes: readonly ActiveFreeze[];
  readonly windows: ReadonlyArray<{ name: string; cron: string; durationMinutes: number; timezone: string }>;
  readonly busy: {
    readonly status: string;
    readonly requestedBy: string;
    readonly release: { readonly version: string };
  } | null;
  readonly approvals: ApprovalFacts | null;
  readonly policyWindows: { policy: string; windows: readonly PolicyWindowInput[] } | null;
  // The deployment's checklist confirmations (null before it exists).
  readonly own: { readonly checklist: unknown } | null;
  readonly incidents: IncidentGateFacts | null;
  readonly checks: ChecksGateFacts | null;
}

export interface GateSubject {
  readonly stage: StageForGates;
  readonly candidate: GateCandidate & { readonly commitSha: string };
  // The deployment being judged.
  readonly self: string;
  readonly action?: GateInput['action'];
}

const pairKey = (stageId: string, releaseId: string) => `${stageId} ${releaseId}`;
const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

// The facts of many deployments in a fixed number of set-based queries, whatever their number:
// the same facts `GateFacts.evaluate` reads for one.
export async function loadGateFactsMany(
  tx: Tx,
  subjects: readonly GateSubject[],
  shared: { freezes: readonly ActiveFreeze[]; gitHubConfigured: boolean },
): Promise<LoadedGateFacts[]> {
  const stages = [...new Map(subjects.map((subject) => [subject.stage.id, subject.stage])).values()];
  const stageIds = stages.map((stage) => stage.id);
  const upstreamIds = unique(stages.flatMap((stage) => stage.upstreams.map((edge) => edge.upstream.id)));
  const releaseIds = unique(subjects.map((subject) => subject.candidate.id));
  const selfIds = subjects.map((subject) => subject.self);

  const succeeded = await tx.deployment.groupBy({
    by: ['stageId', 'releaseId'],
    where: {
      stageId: { in: unique([...stageIds, ...upstreamIds]) },
      releaseId: { in: releaseIds },
      status: 'succeeded',
    },
    _max: { finishedAt: true },
  });
  const succeededAt = new Map(
    succeeded.map((row) => [pairKey(row.stageId, row.releaseId), row._max.finishedAt]),
  );
  const inFlight =
    upstreamIds.length > 0
      ? await tx.deployment.findMany({
          where: {
            stageId: { in: upstreamIds },
            releaseId: { in: releaseIds },
            status: { in: [...IN_FLIGHT] },
          },
          select: { stageId: true, releaseId: true },
          distinct: ['stageId', 'releaseId'],
        })
      : [];
  const inFlightKeys = new Set(inFlight.map((row) => pairKey(row.stageId, row.releaseId)));
  const windows = await tx.deploymentWindow.findMany({
    where: { environmentId: { in: unique(stages.map((stage) => stage.environmentId)) } },
    orderBy: WINDOW_ORDER,
  });
  const active = await tx.deployment.findMany({
    where: { stageId: { in: stageIds }, status: { in: [...ACTIVE] } },
    select: { ...BUSY_SELECT, id: true, stageId: true },
    orderBy: BUSY_ORDER,
  });
  const policies = await findEffectivePolicies(tx, stages);
  const deployments = await tx.deployment.findMany({
    where: { id: { in: selfIds } },
    select: {
      id: true,
      requestedBy: true,
      createdAt: true,
      releaseId: true,
      checklist: true,
      release: { select: { commitSha: true, author: true } },
    },
  });
  const ownById = new Map(deployments.map((row) => [row.id, row]));
  const decisions = groupBy(await findDecisionsFor(tx, selfIds), (decision) => decision.deploymentId);
  const incidents = await loadIncidentsMany(tx, stages);
  const checks = await loadChecksMany(tx, subjects, shared.gitHubConfigured);

  return subjects.map((subject, index) => {
    const { stage, candidate, self } = subject;
    const policy = policies.get(stage.id) ?? null;
    const own = ownById.get(self) ?? null;
    const upstreams = stage.upstreams.map((edge) => edge.upstream.id);
    return {
      ranHere: succeededAt.has(pairKey(stage.id, candidate.id)),
      succeededAt: new Map(
        upstreams.flatMap((id) => {
          const key = pairKey(id, candidate.id);
          return succeededAt.has(key) ? [[id, succeededAt.get(key) ?? null] as const] : [];
        }),
      ),
      inFlight: new Set(upstreams.filter((id) => inFlightKeys.has(pairKey(id, candidate.id)))),
      freezes: shared.freezes,
      windows: windows.filter((window) => window.environmentId === stage.environmentId),
      busy: active.find((row) => row.stageId === stage.id && row.id !== self) ?? null,
      approvals: approvalGatesApply(policy) ? approvalFactsOf(policy, own, decisions.get(self) ?? []) : null,
      policyWindows: policyWindowsOf(policy, stage),
      own,
      incidents: incidents.get(stage.id) ?? null,
      checks: checks[index] ?? null,
    };
  });
}

// As `loadIncidentGateFacts`, for many stages: the open incidents freezing production, per stage in
// production (the others have none to say).
async function loadIncidentsMany(
  tx: Tx,
  stages: readonly StageForGates[],
): Promise<Map<string, IncidentGateFacts>> {
  const environments = await tx.environment.findMany({
    where: { id: { in: unique(stages.map((stage) => stage.environmentId)) }, tier: 'production' },
    select: { id: true },
  });
  const production = stages.filter((stage) => environments.some((env) => env.id === stage.environmentId));
  if (production.length === 0) return new Map();
  const rows = await tx.incident.findMany({
    where: {
      status: { not: 'resolved' },
      severity: { freezesProduction: true },
      stages: { some: { stage: { serviceId: { in: unique(production.map((stage) => stage.serviceId)) } } } },
    },
    select: {
      id: true,
      number: true,
      title: true,
      severity: { select: { key: true, name: true } },
      stages: { select: { stage: { select: { serviceId: true } } } },
    },
    orderBy: { number: 'asc' },
  });
  return new Map(
    production.map((stage) => [
      stage.id,
      {
        serviceSlug: stage.service.slug,
        incidents: rows
          .filter((row) => row.stages.some((link) => link.stage.serviceId === stage.serviceId))
          .map((row) => ({
            id: row.id,
            number: row.number,
            title: row.title,
            severityKey: row.severity.key,
            severityName: row.severity.name,
          })),
      },
    ]),
  );
}

// As `loadChecksGateFacts`, for many candidates: the stored results of their commits.
async function loadChecksMany(
  tx: Tx,
  subjects: readonly GateSubject[],
  gitHubConfigured: boolean,
): Promise<Array<ChecksGateFacts | null>> {
  const checked = subjects.filter((subject) => subject.stage.requiredChecks.length > 0);
  if (checked.length === 0) return subjects.map(() => null);
  const services = await tx.service.findMany({
    where: { id: { in: unique(checked.map((subject) => subject.stage.serviceId)) } },
    select: { id: true, repoOwner: true, repoName: true },
  });
  const repoOf = (serviceId: string) => {
    const service = services.find((row) => row.id === serviceId);
    return service?.repoOwner && service.repoName ? repoKey(service.repoOwner, service.repoName) : null;
  };
  const wanted = gitHubConfigured
    ? checked.flatMap((subject) => {
        const repo = repoOf(subject.stage.serviceId);
        return repo ? [{ repoFullName: repo, sha: subject.candidate.commitSha }] : [];
      })
    : [];
  const stored = wanted.length > 0 ? await tx.gitHubCommitChecks.findMany({ where: { OR: wanted } }) : [];
  return subjects.map((subject) => {
    const required = subject.stage.requiredChecks;
    if (required.length === 0) return null;
    const base = { required, checks: null, fetchedAt: null };
    const repo = repoOf(subject.stage.serviceId);
    if (!repo) return { ...base, unavailable: 'the service has no GitHub repository' };
    if (!gitHubConfigured) return { ...base, unavailable: 'GitHub is not configured' };
    const row = stored.find(
      (entry) => entry.repoFullName === repo && entry.sha === subject.candidate.commitSha,
    );
    if (!row) return { ...base, unavailable: null };
    const checks = z.array(commitCheckSchema).catch([]).parse(row.checks);
    return { required, checks, fetchedAt: row.fetchedAt, unavailable: null };
  });
}
