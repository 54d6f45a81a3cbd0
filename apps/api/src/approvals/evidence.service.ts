import { Inject, Injectable } from '@nestjs/common';
import {
  type Changelog,
  type DeploymentEvidence,
  type EvidenceChecks,
  type EvidenceIncident,
  incidentReference,
  type RiskSignal,
  type UpstreamResult,
  verificationStatusSchema,
} from '@flightdeck/contracts';
import { NotFoundError } from '../common/errors.js';
import { PromotionPreviewService } from '../deployments/promotion-preview.service.js';
import { ChangelogService } from '../integrations/github/changelog.service.js';
import { requiredVerdicts } from '../integrations/github/checks-gate.js';
import { GitHubClientFactory } from '../integrations/github/github-client.factory.js';
import { EvidenceRepository } from './evidence.repository.js';

export const RISK_WINDOW_DAYS = 7;
// More releases than this in one change is a big step.
const LARGE_CHANGE = 5;
const DAY_MS = 86_400_000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function verificationOutcome(raw: unknown): UpstreamResult['verification'] {
  const parsed = verificationStatusSchema.safeParse(raw);
  return parsed.success ? parsed.data.outcome : 'none';
}

// Evidence on one screen for an approver, from what Flightdeck knows today. CI checks are read from
// what the checks refresher stored (never GitHub on this request); commits come from the changelog.
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(EvidenceRepository) private readonly evidence: EvidenceRepository,
    @Inject(PromotionPreviewService) private readonly previews: PromotionPreviewService,
    @Inject(ChangelogService) private readonly changelogs: ChangelogService,
    @Inject(GitHubClientFactory) private readonly github: GitHubClientFactory,
  ) {}

  async get(id: string, now = new Date()): Promise<DeploymentEvidence> {
    const deployment = await this.evidence.findDeployment(id);
    if (!deployment) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    const preview = await this.previews.preview(deployment.stageId, deployment.releaseId, now);
    // Given a release id, the preview always has a candidate.
    const candidate = preview.candidate!;
    const upstreams = deployment.stage.upstreams.map((edge) => edge.upstream);
    const since = new Date(now.getTime() - RISK_WINDOW_DAYS * DAY_MS);
    const [successes, rollbacks, failures, heldOn, incidents, ciChecks, changelog] = await Promise.all([
      this.evidence.lastSuccesses(
        upstreams.map((stage) => stage.id),
        candidate.id,
      ),
      this.evidence.countRollbacks(deployment.stageId, since),
      this.evidence.countFailures(deployment.stage.serviceId, since),
      this.evidence.heldOn(candidate.id),
      this.openIncidents(deployment.stage.serviceId),
      this.ciChecks(deployment.stage, candidate.commitSha),
      this.changelog(deployment.stageId, candidate.id),
    ]);

    const upstream = upstreams
      .map((stage): UpstreamResult => {
        const success = successes.get(stage.id);
        const runsNow = stage.state?.currentReleaseId === candidate.id;
        const since = runsNow ? (stage.state?.currentSince ?? success?.finishedAt ?? null) : null;
        return {
          stageId: stage.id,
          environmentSlug: stage.environment.slug,
          succeededAt: (success?.finishedAt ?? success?.createdAt)?.toISOString() ?? null,
          verification: success ? verificationOutcome(success.verification) : 'none',
          runsNow,
          soakedSeconds: since ? Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000)) : null,
          soakRequiredSeconds: stage.soakSeconds,
        };
      })
      .sort((a, b) => a.environmentSlug.localeCompare(b.environmentSlug));

    const releaseCount = preview.changes.releases.length;
    const env = preview.stage.environmentSlug;
    const days = `the last ${RISK_WINDOW_DAYS} days`;
    const signals: RiskSignal[] = [
      {
        kind: 'change_size',
        tone: releaseCount > LARGE_CHANGE ? 'warning' : 'success',
        message:
          preview.changes.direction === 'backward'
            ? `Reverts ${plural(releaseCount, 'release')}`
            : `${plural(releaseCount, 'release')} in this change`,
      },
      rollbacks > 0
        ? {
            kind: 'recent_rollback',
            tone: 'danger',
            message: `${env} was rolled back ${rollbacks === 1 ? 'once' : `${rollbacks} times`} in ${days}`,
          }
        : { kind: 'recent_rollback', tone: 'success', message: `No rollback on ${env} in ${days}` },
      failures > 0
        ? {
            kind: 'recent_failures',
            tone: 'warning',
            message: `${plural(failures, 'failed or timed-out deployment')} of ${preview.stage.serviceSlug} in ${days}`,
          }
        : {
            kind: 'recent_failures',
            tone: 'success',
            message: `No failed deployment of ${preview.stage.serviceSlug} in ${days}`,
          },
    ];
    if (candidate.quarantine) {
      signals.push({
        kind: 'quarantined',
        tone: 'danger',
        message: `${candidate.version} is quarantined: ${candidate.quarantine.reason}`,
      });
    }
    if (heldOn.length > 0) {
      signals.push({
        kind: 'held',
        tone: 'danger',
        message: `${candidate.version} was rolled back and is held in ${heldOn.join(', ')}`,
      });
    }
    const freezing = incidents.filter((incident) => incident.freezesProduction);
    if (freezing.length > 0) {
      signals.push({
        kind: 'open_incident',
        tone: 'danger',
        message: `${freezing.map((i) => `${i.reference} (${i.severityName})`).join(', ')} ${
          freezing.length === 1 ? 'is' : 'are'
        } open on ${preview.stage.serviceSlug} and freezes production`,
      });
    }
    if (ciChecks.available) {
      const failing = ciChecks.checks.filter((check) => check.state === 'failure').map((check) => check.name);
      if (failing.length > 0) {
        signals.push({
          kind: 'ci_failing',
          tone: ciChecks.checks.some((check) => check.required && check.state === 'failure')
            ? 'danger'
            : 'warning',
          message: `CI failing on ${candidate.version}: ${[...new Set(failing)].join(', ')}`,
        });
      }
    }

    return {
      deploymentId: deployment.id,
      stage: preview.stage,
      candidate,
      current: preview.current,
      changes: preview.changes,
      upstream,
      risks: {
        releaseCount,
        windowDays: RISK_WINDOW_DAYS,
        rollbackOnStage: rollbacks > 0,
        failedDeployments: failures,
        quarantined: candidate.quarantine !== null,
        heldOn,
        signals,
      },
      changelog,
      ciChecks,
      incidents: { available: true, open: incidents },
      computedAt: now.toISOString(),
    };
  }

  private async openIncidents(serviceId: string): Promise<EvidenceIncident[]> {
    const rows = await this.evidence.openIncidents(serviceId);
    return rows.map((row) => ({
      id: row.id,
      number: row.number,
      reference: incidentReference(row.number),
      title: row.title,
      severityKey: row.severity.key,
      severityName: row.severity.name,
      freezesProduction: row.severity.freezesProduction,
      // Resolved ones are filtered out by the query.
      status: row.status as EvidenceIncident['status'],
      detectedAt: row.detectedAt.toISOString(),
      path: `/incidents/${row.id}`,
    }));
  }

  private async ciChecks(
    stage: { requiredChecks: string[]; service: { repoOwner: string | null; repoName: string | null } },
    sha: string,
  ): Promise<EvidenceChecks> {
    const { repoOwner, repoName } = stage.service;
    if (!repoOwner || !repoName) return { available: false, reason: 'The service has no GitHub repository' };
    if (!this.github.configured) return { available: false, reason: 'GitHub is not configured' };
    const stored = await this.evidence.commitChecks(repoOwner, repoName, sha);
    if (!stored) {
      return {
        available: false,
        reason: `No CI results for ${sha.slice(0, 12)} yet: Flightdeck has not fetched them from GitHub`,
      };
    }
    const required = new Set(stage.requiredChecks);
    return {
      available: true,
      repository: `${repoOwner}/${repoName}`,
      commitSha: sha,
      fetchedAt: stored.fetchedAt.toISOString(),
      checks: stored.checks.map((check) => ({ ...check, required: required.has(check.name) })),
      required: requiredVerdicts(stage.requiredChecks, stored.checks).map(({ name, state }) => ({
        name,
        state,
      })),
    };
  }

  // The changelog never throws for GitHub's sake; a stage or release gone missing meanwhile is a reason.
  private async changelog(stageId: string, releaseId: string): Promise<Changelog> {
    try {
      return await this.changelogs.forStage(stageId, releaseId);
    } catch (error) {
      if (error instanceof NotFoundError) return { available: false, reason: error.message };
      throw error;
    }
  }
}
