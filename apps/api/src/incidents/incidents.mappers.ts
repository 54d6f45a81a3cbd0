import {
  type Incident,
  type IncidentActionItem,
  type IncidentSeverity,
  type IncidentSummary,
  incidentReference,
  nextIncidentStatuses,
} from '@flightdeck/contracts';
import { mapDeployment } from '../deployments/deployments.mappers.js';
import type { IncidentSeverity as SeverityRow } from '../generated/prisma/client.js';
import type { ActionItemRow, IncidentRow, IncidentSummaryRow } from './incidents.repository.js';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const seconds = (from: Date, to: Date | null): number | null =>
  to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

export function mapSeverity(row: SeverityRow): IncidentSeverity {
  return {
    key: row.key,
    rank: row.rank,
    name: row.name,
    description: row.description,
    expectedResponseMinutes: row.expectedResponseMinutes,
    freezesProduction: row.freezesProduction,
  };
}

// Affected stages in promotion order, then by service.
export function incidentStagesOf(row: IncidentSummaryRow) {
  return row.stages
    .map(({ stage }) => stage)
    .sort(
      (a, b) =>
        a.environment.position - b.environment.position || a.service.slug.localeCompare(b.service.slug),
    );
}

export function mapIncidentSummary(row: IncidentSummaryRow, now: Date): IncidentSummary {
  return {
    id: row.id,
    number: row.number,
    reference: incidentReference(row.number),
    title: row.title,
    severity: mapSeverity(row.severity),
    status: row.status,
    commander: row.commander,
    declaredBy: row.declaredBy,
    detectedAt: row.detectedAt.toISOString(),
    acknowledgedAt: iso(row.acknowledgedAt),
    identifiedAt: iso(row.identifiedAt),
    monitoringAt: iso(row.monitoringAt),
    resolvedAt: iso(row.resolvedAt),
    durationSeconds: seconds(row.detectedAt, row.resolvedAt ?? now) ?? 0,
    stages: incidentStagesOf(row).map((stage) => ({
      stageId: stage.id,
      serviceSlug: stage.service.slug,
      environmentSlug: stage.environment.slug,
      tier: stage.environment.tier,
    })),
    freezingProduction: row.status !== 'resolved' && row.severity.freezesProduction,
    createdAt: row.createdAt.toISOString(),
  };
}

export function mapActionItem(row: ActionItemRow): IncidentActionItem {
  return {
    id: row.id,
    title: row.title,
    owner: row.owner,
    state: row.state,
    createdBy: row.createdBy,
    completedAt: iso(row.completedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

export function mapIncident(row: IncidentRow, now: Date): Incident {
  const responseDue = row.detectedAt.getTime() + row.severity.expectedResponseMinutes * 60_000;
  return {
    ...mapIncidentSummary(row, now),
    summary: row.summary,
    impact: row.impact,
    rootCause: row.rootCause,
    mttaSeconds: seconds(row.detectedAt, row.acknowledgedAt),
    mttrSeconds: seconds(row.detectedAt, row.resolvedAt),
    responseOverdue: (row.acknowledgedAt?.getTime() ?? now.getTime()) > responseDue,
    nextStatuses: nextIncidentStatuses(row.status),
    actionItems: row.actionItems.map(mapActionItem),
    deployments: row.deployments.map((link) => ({
      relation: link.relation,
      deployment: mapDeployment(link.deployment),
      createdBy: link.createdBy,
      createdAt: link.createdAt.toISOString(),
    })),
  };
}
