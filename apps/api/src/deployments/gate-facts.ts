import { Inject, Injectable } from '@nestjs/common';
import type { DriverKind, Gate } from '@flightdeck/contracts';
import type { PolicyWindowInput } from '@flightdeck/contracts';
import { loadApprovalFacts, loadPolicyWindows } from '../approvals/approvals.repository.js';
import {
  mapPolicyWindow,
  type Opening,
  type PolicyWindowFacts,
  type Upcoming,
} from '../approvals/policy-windows.js';
import { argoSyncWindowGate, ArgoSyncWindows } from '../drivers/argocd/argocd-sync-windows.js';
import { deploymentChecklistOf } from '../checklists/checklist-items.js';
import { NotFoundError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import { FreezesService, freezesOver } from '../freezes/freezes.service.js';
import { nextWindow, openWindow } from '../freezes/freeze-windows.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { loadIncidentGateFacts } from '../incidents/incident-gate.js';
import { loadChecksGateFacts } from '../integrations/github/checks-gate.js';
import {
  ACTIVE,
  BUSY_ORDER,
  BUSY_SELECT,
  type GateCandidate,
  type GateSubject,
  IN_FLIGHT,
  type LoadedGateFacts,
  loadGateFactsMany,
  WINDOW_ORDER,
} from './gate-facts-many.js';
import { evaluateGates, type GateInput } from './gates.js';

export const stageForGatesInclude = {
  service: { select: { id: true, slug: true, teamId: true } },
  environment: { select: { id: true, slug: true } },
  state: true,
  upstreams: {
    include: {
      upstream: { select: { id: true, soakSeconds: true, environment: { select: { slug: true } } } },
    },
  },
} as const;

// Which of some windows is open now (the one open longest), or which opens next: an environment's
// deployment windows, or an approval policy's allow or deny windows.
export function windowsAt(
  rows: ReadonlyArray<{ name: string; cron: string; durationMinutes: number; timezone: string }>,
  now: Date,
): { open: Opening | null; next: Upcoming | null } | null {
  if (rows.length === 0) return null;
  let open: Opening | null = null;
  let next: Upcoming | null = null;
  for (const row of rows) {
    const window = { kind: 'recurring', ...row } as const;
    const current = openWindow(window, now);
    if (current && (!open || current.end > open.until))
      open = { name: row.name, timezone: row.timezone, until: current.end };
    const upcoming = nextWindow(window, now);
    if (upcoming && (!next || upcoming.start < next.at))
      next = { name: row.name, timezone: row.timezone, at: upcoming.start };
  }
  return { open, next };
}

function policyWindowsAt(
  loaded: { policy: string; windows: readonly PolicyWindowInput[] } | null,
  now: Date,
): PolicyWindowFacts | null {
  if (!loaded || loaded.windows.length === 0) return null;
  const rows = (kind: PolicyWindowInput['kind']) =>
    loaded.windows
      .filter((window) => window.kind === kind)
      .map((window) => ({
        name: mapPolicyWindow(window).summary,
        cron: window.cron,
        durationMinutes: window.durationMinutes,
        timezone: window.timeZone,
      }));
  return { policy: loaded.policy, allow: windowsAt(rows('allow'), now), deny: windowsAt(rows('deny'), now) };
}

// Turns the loaded facts of one stage, candidate and deployment into the evaluator's input. Both
// loaders (one deployment, many) end here, so they cannot disagree on what the facts mean.
export function gateInputOf(
  stage: StageForGates,
  candidate: GateCandidate,
  facts: LoadedGateFacts,
  now: Date,
  action: GateInput['action'],
): GateInput {
  const state = stage.state;
  const checklist = deploymentChecklistOf(stage.checklist, facts.own?.checklist);
  const { busy } = facts;
  return {
    now,
    action,
    environmentSlug: stage.environment.slug,
    candidate: {
      id: candidate.id,
      version: candidate.version,
      quarantine:
        candidate.quarantinedBy && candidate.quarantinedAt
          ? {
              by: candidate.quarantinedBy,
              reason: candidate.quarantineReason ?? '',
              at: candidate.quarantinedAt,
            }
          : null,
    },
    lock:
      state?.lockedBy && state.lockedAt
        ? { by: state.lockedBy, reason: state.lockReason ?? '', at: state.lockedAt }
        : null,
    hold: state?.holdReleaseId ? { releaseId: state.holdReleaseId, reason: state.holdReason } : null,
    freezes: freezesOver(facts.freezes, { serviceId: stage.serviceId, environmentId: stage.environmentId }),
    windows: windowsAt(facts.windows, now),
    busy: busy ? { version: busy.release.version, status: busy.status, requestedBy: busy.requestedBy } : null,
    upstreams: facts.ranHere
      ? []
      : stage.upstreams.map((edge) => ({
          environmentSlug: edge.upstream.environment.slug,
          soakSeconds: edge.upstream.soakSeconds,
          succeededAt: facts.succeededAt.get(edge.upstream.id) ?? null,
          inProgress: facts.inFlight.has(edge.upstream.id),
        })),
    approvals: facts.approvals,
    incidents: facts.incidents,
    policyWindows: policyWindowsAt(facts.policyWindows, now),
    checklist: checklist
      ? { total: checklist.total, confirmed: facts.own ? checklist.confirmed : null }
      : null,
    checks: facts.checks,
  };
}

export type StageForGates = NonNullable<Awaited<ReturnType<GateFacts['loadStage']>>>;

// Loads what the gates need to know about one stage and one release, then asks the evaluator.
// Every caller (preview, create, runner) goes through here, so they cannot disagree.
@Injectable()
export class GateFacts {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(FreezesService) private readonly freezes: FreezesService,
    @Inject(ArgoSyncWindows) private readonly argoWindows: ArgoSyncWindows,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'github'>,
  ) {}

  // What the stage's deploy tool says about going now (Argo CD's sync windows). An HTTP call: never
  // inside a transaction.
  async externalGates(stage: { id: string; driverKind: DriverKind; driverConfig: unknown }): Promise<Gate[]> {
    const gate = argoSyncWindowGate(await this.argoWindows.verdict(stage));
    return gate ? [gate] : [];
  }

  loadStage(stageId: string, tx: Tx = this.prisma) {
    return tx.stage.findUnique({ where: { id: stageId }, include: stageForGatesInclude });
  }

  loadStages(stageIds: readonly string[], tx: Tx = this.prisma): Promise<StageForGates[]> {
    return tx.stage.findMany({ where: { id: { in: [...stageIds] } }, include: stageForGatesInclude });
  }

  async requireStage(stageId: string, tx: Tx = this.prisma): Promise<StageForGates> {
    const stage = await this.loadStage(stageId, tx);
    if (!stage) throw new NotFoundError('STAGE_NOT_FOUND', `No stage with id "${stageId}"`);
    return stage;
  }

  async evaluate(
    stage: StageForGates,
    candidate: GateCandidate,
    options: {
      now?: Date;
      tx?: Tx;
      self?: string;
      action?: GateInput['action'];
      // Gates from outside systems, asked before any transaction (see `externalGates`).
      external?: readonly Gate[];
    } = {},
  ): Promise<Gate[]> {
    const now = options.now ?? new Date();
    const tx = options.tx ?? this.prisma;
    const upstreamIds = stage.upstreams.map((edge) => edge.upstream.id);
    // A release that already ran here (a redeploy, or going back to it) has passed its upstreams before.
    // One after another: a transaction's connection runs one query at a time.
    const ranHere = await tx.deployment.count({
      where: { stageId: stage.id, releaseId: candidate.id, status: 'succeeded' },
    });
    const succeeded = await tx.deployment.groupBy({
      by: ['stageId'],
      where: { stageId: { in: upstreamIds }, releaseId: candidate.id, status: 'succeeded' },
      _max: { finishedAt: true },
    });
    const inFlight = await tx.deployment.findMany({
      where: { stageId: { in: upstreamIds }, releaseId: candidate.id, status: { in: [...IN_FLIGHT] } },
      select: { stageId: true },
    });
    const freezes = await this.freezes.active(now, tx);
    const windows = await tx.deploymentWindow.findMany({
      where: { environmentId: stage.environmentId },
      orderBy: WINDOW_ORDER,
    });
    const busy = await tx.deployment.findFirst({
      where: {
        stageId: stage.id,
        status: { in: [...ACTIVE] },
        ...(options.self ? { id: { not: options.self } } : {}),
      },
      select: BUSY_SELECT,
      orderBy: BUSY_ORDER,
    });
    // Approvals belong to a deployment: before it exists (a preview, a request) the gate only says what
    // it will need.
    const approvals = await loadApprovalFacts(tx, stage, options.self);
    const policyWindows = await loadPolicyWindows(tx, stage);
    // The checklist too: its items are the stage's, the confirmations the deployment's.
    const own = options.self
      ? await tx.deployment.findUnique({ where: { id: options.self }, select: { checklist: true } })
      : null;
    const incidents = await loadIncidentGateFacts(tx, stage);
    const checks = await loadChecksGateFacts(tx, stage, candidate.id, this.config.github.auth !== null);
    const facts: LoadedGateFacts = {
      ranHere: ranHere > 0,
      succeededAt: new Map(succeeded.map((row) => [row.stageId, row._max.finishedAt])),
      inFlight: new Set(inFlight.map((row) => row.stageId)),
      freezes,
      windows,
      busy,
      approvals,
      policyWindows,
      own,
      incidents,
      checks,
    };
    const gates = evaluateGates(gateInputOf(stage, candidate, facts, now, options.action ?? 'promote'));
    return [...gates, ...(options.external ?? [])];
  }

  // The gates of many deployments waiting on their stages (the approvals inbox): the facts of all of
  // them read in a fixed number of queries, then the same evaluator for each.
  async evaluateMany(
    subjects: readonly GateSubject[],
    options: { now?: Date; tx?: Tx } = {},
  ): Promise<Gate[][]> {
    if (subjects.length === 0) return [];
    const now = options.now ?? new Date();
    const tx = options.tx ?? this.prisma;
    const facts = await loadGateFactsMany(tx, subjects, {
      freezes: await this.freezes.active(now, tx),
      gitHubConfigured: this.config.github.auth !== null,
    });
    return subjects.map((subject, index) =>
      evaluateGates(
        gateInputOf(subject.stage, subject.candidate, facts[index]!, now, subject.action ?? 'promote'),
      ),
    );
  }
}
