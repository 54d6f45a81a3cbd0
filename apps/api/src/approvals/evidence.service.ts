import { Inject, Injectable } from '@nestjs/common';
import {
  type DeploymentEvidence,
  type RiskSignal,
  type UpstreamResult,
  verificationStatusSchema,
} from '@flightdeck/contracts';
import { NotFoundError } from '../common/errors.js';
import { PromotionPreviewService } from '../deployments/promotion-preview.service.js';
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

// Evidence on one screen for an approver, from what Flightdeck knows today. CI checks and incidents
// come from integrations that do not exist yet, so they say so instead of looking empty.
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(EvidenceRepository) private readonly evidence: EvidenceRepository,
    @Inject(PromotionPreviewService) private readonly previews: PromotionPreviewService,
  ) {}

  async get(id: string, now = new Date()): Promise<DeploymentEvidence> {
    const deployment = await this.evidence.findDeployment(id);
    if (!deployment) throw new NotFoundError('DEPLOYMENT_NOT_FOUND', `No deployment with id "${id}"`);
    const preview = await this.previews.preview(deployment.stageId, deployment.releaseId, now);
    // Given a release id, the preview always has a candidate.
    const candidate = preview.candidate!;
    const upstreams = deployment.stage.upstreams.map((edge) => edge.upstream);
    const since = new Date(now.getTime() - RISK_WINDOW_DAYS * DAY_MS);
    const [successes, rollbacks, failures, heldOn] = await Promise.all([
      this.evidence.lastSuccesses(
        upstreams.map((stage) => stage.id),
        candidate.id,
      ),
      this.evidence.countRollbacks(deployment.stageId, since),
      this.evidence.countFailures(deployment.stage.serviceId, since),
      this.evidence.heldOn(candidate.id),
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
      ciChecks: {
        available: false,
        reason: 'CI checks are not connected yet: Flightdeck has no GitHub integration (issue 8).',
      },
      incidents: {
        available: false,
        reason: 'Open incidents are not connected yet: Flightdeck has no incident integration (issue 9).',
      },
      computedAt: now.toISOString(),
    };
  }
}
