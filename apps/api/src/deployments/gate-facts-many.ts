import type { PolicyWindowInput } from '@flightdeck/contracts';
import { z } from 'zod';
import type { ApprovalFacts } from '../approvals/approval-rules.js';
import {
  approvalFactsOf,
  approvalGatesApply,
  type DecisionFactRow,
  pickEffectivePolicies,
  type PolicyRulesRow,
  policyWindowsOf,
} from '../approvals/approvals.repository.js';
import { groupBy } from '../common/group-by.js';
import type { Tx } from '../database/prisma.service.js';
import type { ActiveFreeze } from '../freezes/freezes.service.js';
import type { IncidentGateFacts } from '../incidents/incident-gate.js';
import { type ChecksGateFacts, commitCheckSchema, repoKey } from '../integrations/github/checks-gate.js';
import { Prisma } from '../generated/prisma/client.js';
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
const dateOf = (value: string | null): Date | null => (value === null ? null : new Date(value));

// The facts of many deployments as `loadGateFactsMany` reads them in one round trip (JSON, timestamps
// as text): each set is the one `GateFacts.evaluate` reads for one deployment, for all of them at once.
interface FactsJson {
  succeeded: Array<{ stageId: string; releaseId: string; at: string | null }>;
  inFlight: Array<{ stageId: string; releaseId: string }>;
  windows: Array<{
    environmentId: string;
    name: string;
    cron: string;
    durationMinutes: number;
    timezone: string;
  }>;
  active: Array<{ id: string; stageId: string; status: string; requestedBy: string; version: string }>;
  policies: PolicyRulesRow[];
  own: Array<{
    id: string;
    requestedBy: string;
    createdAt: string;
    releaseId: string;
    checklist: unknown;
    commitSha: string;
    author: string | null;
  }>;
  decisions: Array<{
    deploymentId: string;
    decision: DecisionFactRow['decision'];
    email: string;
    teamId: string | null;
    teamSlug: string | null;
    releaseId: string;
    commitSha: string;
    createdAt: string;
  }>;
  production: string[];
  incidents: Array<{
    id: string;
    number: number;
    title: string;
    severityKey: string;
    severityName: string;
    serviceIds: string[];
  }>;
  services: Array<{ id: string; repoOwner: string | null; repoName: string | null }>;
  checks: Array<{ repoFullName: string; sha: string; checks: unknown; fetchedAt: string }>;
}

// Every set in one statement: on a busy machine each round trip (a socket write, a wake-up of the
// backend, Prisma's per-query work) costs more than the reads themselves, all on indexed columns.
function factsSql(ids: {
  stageIds: string[];
  upstreamIds: string[];
  environmentIds: string[];
  releaseIds: string[];
  selfIds: string[];
  // The services of stages with required checks, and (GitHub configured) the commits wanted for them.
  checkedServiceIds: string[];
  wanted: { serviceIds: string[]; shas: string[] };
}): Prisma.Sql {
  const uuids = (values: string[]) => Prisma.sql`${values}::uuid[]`;
  const statuses = (values: readonly string[]) => Prisma.sql`${[...values]}::"DeploymentStatus"[]`;
  return Prisma.sql`
    SELECT json_build_object(
      'succeeded', (SELECT coalesce(json_agg(json_build_object('stageId', s.stage_id, 'releaseId', s.release_id, 'at', s.at)), '[]')
                      FROM (SELECT stage_id, release_id, max(finished_at) AS at FROM deployments
                             WHERE stage_id = ANY(${uuids(unique([...ids.stageIds, ...ids.upstreamIds]))})
                               AND release_id = ANY(${uuids(ids.releaseIds)}) AND status = 'succeeded'
                             GROUP BY stage_id, release_id) s),
      'inFlight', (SELECT coalesce(json_agg(json_build_object('stageId', f.stage_id, 'releaseId', f.release_id)), '[]')
                     FROM (SELECT DISTINCT stage_id, release_id FROM deployments
                            WHERE stage_id = ANY(${uuids(ids.upstreamIds)})
                              AND release_id = ANY(${uuids(ids.releaseIds)})
                              AND status = ANY(${statuses(IN_FLIGHT)})) f),
      'windows', (SELECT coalesce(json_agg(json_build_object('environmentId', w.environment_id, 'name', w.name,
                           'cron', w.cron, 'durationMinutes', w.duration_minutes, 'timezone', w.timezone)
                           ORDER BY w.created_at, w.id), '[]')
                    FROM deployment_windows w WHERE w.environment_id = ANY(${uuids(ids.environmentIds)})),
      'active', (SELECT coalesce(json_agg(json_build_object('id', d.id, 'stageId', d.stage_id, 'status', d.status,
                          'requestedBy', d.requested_by, 'version', r.version) ORDER BY d.created_at, d.id), '[]')
                   FROM deployments d JOIN releases r ON r.id = d.release_id
                  WHERE d.stage_id = ANY(${uuids(ids.stageIds)}) AND d.status = ANY(${statuses(ACTIVE)})),
      'policies', (SELECT coalesce(json_agg(json_build_object('stageId', p.stage_id, 'environmentId', p.environment_id,
                            'requiredApprovals', p.required_approvals, 'approverRoles', p.approver_roles,
                            'approverTeams', p.approver_teams, 'approverUsers', p.approver_users,
                            'distinctTeams', p.distinct_teams, 'selfApprovalBanned', p.self_approval_banned,
                            'reasonRequiredToApprove', p.reason_required_to_approve, 'expiryMinutes', p.expiry_minutes,
                            'waitMinutes', p.wait_minutes, 'approveRollbacks', p.approve_rollbacks, 'windows', p.windows)), '[]')
                     FROM approval_policies p
                    WHERE p.stage_id = ANY(${uuids(ids.stageIds)}) OR p.environment_id = ANY(${uuids(ids.environmentIds)})),
      'own', (SELECT coalesce(json_agg(json_build_object('id', d.id, 'requestedBy', d.requested_by, 'createdAt', d.created_at,
                       'releaseId', d.release_id, 'checklist', d.checklist, 'commitSha', r.commit_sha, 'author', r.author)), '[]')
                FROM deployments d JOIN releases r ON r.id = d.release_id WHERE d.id = ANY(${uuids(ids.selfIds)})),
      'decisions', (SELECT coalesce(json_agg(json_build_object('deploymentId', a.deployment_id, 'decision', a.decision,
                             'email', a.email, 'teamId', a.team_id, 'teamSlug', t.slug, 'releaseId', a.release_id,
                             'commitSha', a.commit_sha, 'createdAt', a.created_at) ORDER BY a.created_at, a.id), '[]')
                      FROM approvals a LEFT JOIN teams t ON t.id = a.team_id
                     WHERE a.deployment_id = ANY(${uuids(ids.selfIds)})),
      'production', (SELECT coalesce(json_agg(e.id), '[]') FROM environments e
                      WHERE e.id = ANY(${uuids(ids.environmentIds)}) AND e.tier = 'production'),
      'incidents', (SELECT coalesce(json_agg(json_build_object('id', i.id, 'number', i.number, 'title', i.title,
                             'severityKey', v.key, 'severityName', v.name,
                             'serviceIds', (SELECT json_agg(ls.service_id) FROM incident_stages l
                                              JOIN stages ls ON ls.id = l.stage_id WHERE l.incident_id = i.id))
                             ORDER BY i.number), '[]')
                      FROM incidents i JOIN incident_severities v ON v.key = i.severity_key
                     WHERE i.status <> 'resolved' AND v.freezes_production
                       AND EXISTS (SELECT 1 FROM incident_stages l JOIN stages ls ON ls.id = l.stage_id
                                    WHERE l.incident_id = i.id AND ls.service_id IN (
                                      SELECT s.service_id FROM stages s JOIN environments e ON e.id = s.environment_id
                                       WHERE s.id = ANY(${uuids(ids.stageIds)}) AND e.tier = 'production'))),
      'services', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'repoOwner', s.repo_owner, 'repoName', s.repo_name)), '[]')
                     FROM services s WHERE s.id = ANY(${uuids(ids.checkedServiceIds)})),
      -- Narrowed by repository and commit here; which row belongs to which subject is decided below (repoKey).
      'checks', (SELECT coalesce(json_agg(json_build_object('repoFullName', c.repo_full_name, 'sha', c.sha,
                          'checks', c.checks, 'fetchedAt', c.fetched_at)), '[]')
                   FROM github_commit_checks c
                  WHERE (c.repo_full_name, c.sha) IN (
                          SELECT lower(s.repo_owner || '/' || s.repo_name), w.sha
                            FROM unnest(${uuids(ids.wanted.serviceIds)}, ${ids.wanted.shas}::text[]) AS w(service_id, sha)
                            JOIN services s ON s.id = w.service_id))
    )::text AS facts`;
}

// The facts of many deployments in one query, whatever their number: the same facts
// `GateFacts.evaluate` reads for one.
export async function loadGateFactsMany(
  tx: Tx,
  subjects: readonly GateSubject[],
  shared: { freezes: readonly ActiveFreeze[]; gitHubConfigured: boolean },
): Promise<LoadedGateFacts[]> {
  const stages = [...new Map(subjects.map((subject) => [subject.stage.id, subject.stage])).values()];
  const checked = subjects.filter((subject) => subject.stage.requiredChecks.length > 0);
  const [row] = await tx.$queryRaw<Array<{ facts: string }>>(
    factsSql({
      stageIds: stages.map((stage) => stage.id),
      upstreamIds: unique(stages.flatMap((stage) => stage.upstreams.map((edge) => edge.upstream.id))),
      environmentIds: unique(stages.map((stage) => stage.environmentId)),
      releaseIds: unique(subjects.map((subject) => subject.candidate.id)),
      selfIds: subjects.map((subject) => subject.self),
      checkedServiceIds: unique(checked.map((subject) => subject.stage.serviceId)),
      wanted: {
        serviceIds: shared.gitHubConfigured ? checked.map((subject) => subject.stage.serviceId) : [],
        shas: shared.gitHubConfigured ? checked.map((subject) => subject.candidate.commitSha) : [],
      },
    }),
  );
  const facts = JSON.parse(row!.facts) as FactsJson;

  const succeededAt = new Map(
    facts.succeeded.map((entry) => [pairKey(entry.stageId, entry.releaseId), dateOf(entry.at)]),
  );
  const inFlightKeys = new Set(facts.inFlight.map((entry) => pairKey(entry.stageId, entry.releaseId)));
  const policies = pickEffectivePolicies(stages, facts.policies);
  const ownById = new Map(
    facts.own.map((entry) => [
      entry.id,
      {
        requestedBy: entry.requestedBy,
        createdAt: new Date(entry.createdAt),
        releaseId: entry.releaseId,
        checklist: entry.checklist,
        release: { commitSha: entry.commitSha, author: entry.author },
      },
    ]),
  );
  const decisions = groupBy(
    facts.decisions.map((entry) => ({
      ...entry,
      team: entry.teamSlug === null ? null : { slug: entry.teamSlug },
      createdAt: new Date(entry.createdAt),
    })),
    (decision) => decision.deploymentId,
  );
  const incidents = incidentsOf(stages, facts);
  const checks = checksOf(subjects, facts, shared.gitHubConfigured);

  return subjects.map((subject, index) => {
    const { stage, candidate, self } = subject;
    const policy = policies.get(stage.id) ?? null;
    const own = ownById.get(self) ?? null;
    const upstreams = stage.upstreams.map((edge) => edge.upstream.id);
    const busy = facts.active.find((entry) => entry.stageId === stage.id && entry.id !== self);
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
      windows: facts.windows.filter((window) => window.environmentId === stage.environmentId),
      busy: busy
        ? { status: busy.status, requestedBy: busy.requestedBy, release: { version: busy.version } }
        : null,
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
function incidentsOf(stages: readonly StageForGates[], facts: FactsJson): Map<string, IncidentGateFacts> {
  const production = stages.filter((stage) => facts.production.includes(stage.environmentId));
  return new Map(
    production.map((stage) => [
      stage.id,
      {
        serviceSlug: stage.service.slug,
        incidents: facts.incidents
          .filter((row) => row.serviceIds.includes(stage.serviceId))
          .map((row) => ({
            id: row.id,
            number: row.number,
            title: row.title,
            severityKey: row.severityKey,
            severityName: row.severityName,
          })),
      },
    ]),
  );
}

// As `loadChecksGateFacts`, for many candidates: the stored results of their commits.
function checksOf(
  subjects: readonly GateSubject[],
  facts: FactsJson,
  gitHubConfigured: boolean,
): Array<ChecksGateFacts | null> {
  const repoOf = (serviceId: string) => {
    const service = facts.services.find((row) => row.id === serviceId);
    return service?.repoOwner && service.repoName ? repoKey(service.repoOwner, service.repoName) : null;
  };
  return subjects.map((subject) => {
    const required = subject.stage.requiredChecks;
    if (required.length === 0) return null;
    const base = { required, checks: null, fetchedAt: null };
    const repo = repoOf(subject.stage.serviceId);
    if (!repo) return { ...base, unavailable: 'the service has no GitHub repository' };
    if (!gitHubConfigured) return { ...base, unavailable: 'GitHub is not configured' };
    const row = facts.checks.find(
      (entry) => entry.repoFullName === repo && entry.sha === subject.candidate.commitSha,
    );
    if (!row) return { ...base, unavailable: null };
    const checks = z.array(commitCheckSchema).catch([]).parse(row.checks);
    return { required, checks, fetchedAt: new Date(row.fetchedAt), unavailable: null };
  });
}
