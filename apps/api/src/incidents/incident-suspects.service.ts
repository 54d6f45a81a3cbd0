import { Inject, Injectable } from '@nestjs/common';
import type { IncidentSuspects, SuspectDeployment } from '@flightdeck/contracts';
import { mapDeployment } from '../deployments/deployments.mappers.js';
import { RollbackService } from '../deployments/rollback.service.js';
import { incidentStagesOf } from './incidents.mappers.js';
import { IncidentsRepository, type IncidentRow } from './incidents.repository.js';
import { rankSuspects } from './suspect-ranking.js';

const BAD_HEALTH = /\b(degraded|unhealthy|missing)\b/i;

// What went wrong while a deployment was watched: checks that failed or were failing, health gone bad.
export function warningsOf(verification: unknown, events: ReadonlyArray<{ message: string }>): string[] {
  const checks = (verification as { checks?: unknown } | null)?.checks;
  const failing = Array.isArray(checks)
    ? checks.flatMap((check: { name?: unknown; state?: unknown; message?: unknown }) =>
        check.state === 'failing' || check.state === 'failed'
          ? [`${String(check.name)}: ${String(check.message)}`]
          : [],
      )
    : [];
  return [...failing, ...events.map((event) => event.message).filter((message) => BAD_HEALTH.test(message))];
}

// Deployments to the affected stages that finished within the window before detection (or since),
// ranked with reasons; each says whether the incident page can roll it back.
@Injectable()
export class IncidentSuspectsService {
  constructor(
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(RollbackService) private readonly rollbacks: RollbackService,
  ) {}

  async suspects(row: IncidentRow, windowMinutes: number, now = new Date()): Promise<IncidentSuspects> {
    const stages = incidentStagesOf(row);
    const from = new Date(row.detectedAt.getTime() - windowMinutes * 60_000);
    const to = row.resolvedAt ?? now;
    const linked = row.deployments.map((link) => link.deployment);
    const pool = await this.incidents.finishedDeployments(
      stages.map((stage) => stage.id),
      from,
      to,
    );
    // A deployment people linked as suspect or cause stays listed even outside the window.
    const extra = linked.filter(
      (deployment, index) =>
        deployment.kind !== 'rollback' &&
        linked.findIndex((other) => other.id === deployment.id) === index &&
        !pool.some((candidate) => candidate.id === deployment.id) &&
        row.deployments.some(
          (link) => link.deploymentId === deployment.id && link.relation !== 'remediation',
        ),
    );
    const candidates = [];
    for (const deployment of [
      ...pool,
      ...extra.map((d) => ({ ...d, events: [] as Array<{ message: string }> })),
    ]) {
      const finishedAt = deployment.finishedAt ?? deployment.createdAt;
      const before = await this.incidents.previousSuccess(deployment.stageId, finishedAt);
      const release = await this.incidents.releaseCreatedAt(deployment.releaseId);
      const changeSize = await this.incidents.releasesBetween(
        deployment.stage.service.slug,
        before?.release.createdAt ?? null,
        release,
      );
      const stage = stages.find((candidate) => candidate.id === deployment.stageId);
      candidates.push({
        row: deployment,
        tier: stage?.environment.tier ?? (await this.incidents.tierOf(deployment.stageId)),
        input: {
          id: deployment.id,
          status: deployment.status,
          finishedAt,
          warnings: warningsOf(deployment.verification, deployment.events),
          changeSize: Math.max(1, changeSize),
          relations: row.deployments
            .filter((link) => link.deploymentId === deployment.id)
            .map((link) => link.relation),
        },
      });
    }
    const ranked = rankSuspects(
      candidates.map((candidate) => ({ ...candidate.input, tier: candidate.tier })),
      row.detectedAt,
      windowMinutes,
    );
    const items: SuspectDeployment[] = [];
    for (const ranking of ranked) {
      const candidate = candidates.find((c) => c.input.id === ranking.id)!;
      const deployment = mapDeployment(candidate.row);
      const remediation =
        row.deployments.find(
          (link) =>
            link.relation === 'remediation' &&
            link.deployment.stageId === deployment.stageId &&
            link.createdAt >= (candidate.row.finishedAt ?? candidate.row.createdAt),
        )?.deployment ?? null;
      items.push({
        deployment,
        tier: candidate.tier,
        rank: ranking.rank,
        score: ranking.score,
        reasons: ranking.reasons,
        relations: [...candidate.input.relations],
        remediation: remediation ? mapDeployment(remediation) : null,
        rollback: await this.rollbackVerdict(row, deployment, remediation !== null),
      });
    }
    return { windowMinutes, items };
  }

  private async rollbackVerdict(
    row: IncidentRow,
    deployment: SuspectDeployment['deployment'],
    remediated: boolean,
  ): Promise<SuspectDeployment['rollback']> {
    const where = `${deployment.serviceSlug}/${deployment.environmentSlug}`;
    if (row.status === 'resolved') return { possible: false, reason: 'The incident is resolved' };
    if (remediated) return { possible: false, reason: `${where} was already rolled back from this incident` };
    const options = await this.rollbacks.options(deployment.stageId);
    if (options.current?.id !== deployment.release.id) {
      return {
        possible: false,
        reason: `${deployment.release.version} no longer runs on ${where}${options.current ? ` (${options.current.version} does)` : ''}`,
      };
    }
    if (!options.defaultTarget) {
      return { possible: false, reason: `Nothing earlier succeeded on ${where} to roll back to` };
    }
    return {
      possible: true,
      reason: `Roll ${where} back from ${deployment.release.version} to ${options.defaultTarget.version}`,
    };
  }
}
