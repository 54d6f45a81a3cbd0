import { Inject, Injectable } from '@nestjs/common';
import {
  type DeploymentKind,
  type DeploymentStatus,
  type IncidentTimeline,
  type TimelineEntry,
  incidentReference,
} from '@flightdeck/contracts';
import { mapDeployment } from '../deployments/deployments.mappers.js';
import { incidentStagesOf } from './incidents.mappers.js';
import { IncidentsRepository, type IncidentRow } from './incidents.repository.js';

// The automatic entries start this long before detection: the change that caused it is usually there.
export const TIMELINE_LEAD_MINUTES = 60;

const KIND_WORD: Record<DeploymentKind, string> = {
  promote: 'Deploy of',
  rollback: 'Rollback to',
  redeploy: 'Redeploy of',
  record: 'Recorded deploy of',
};

// The transitions worth a line; queued and the like are noise next to started and finished.
const STATUS_WORD: Partial<Record<DeploymentStatus, string>> = {
  running: 'started',
  verifying: 'verifying',
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed out',
  cancelled: 'cancelled',
  rejected: 'rejected',
  expired: 'expired',
  superseded: 'superseded',
};

const WITH_MESSAGE: readonly DeploymentStatus[] = ['failed', 'timed_out', 'cancelled', 'rejected'];

type Entry = TimelineEntry & { readonly order: number };

function entry(
  at: Date,
  kind: TimelineEntry['kind'],
  actor: string,
  text: string,
  extra: Partial<Pick<TimelineEntry, 'deploymentId' | 'stageId' | 'manual'>> = {},
): Omit<Entry, 'order'> {
  return {
    at: at.toISOString(),
    kind,
    actor,
    text,
    deploymentId: extra.deploymentId ?? null,
    stageId: extra.stageId ?? null,
    manual: extra.manual ?? false,
  };
}

function jsonField(value: unknown, field: string): string | null {
  if (!value || typeof value !== 'object') return null;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' ? found : null;
}

// Notes and status changes, merged with what happened on the affected stages, derived at read time from
// deployment events, approvals and the audit ledger (nothing is copied), oldest first.
@Injectable()
export class IncidentTimelineService {
  constructor(@Inject(IncidentsRepository) private readonly incidents: IncidentsRepository) {}

  async timeline(row: IncidentRow, now = new Date()): Promise<IncidentTimeline> {
    const from = new Date(row.detectedAt.getTime() - TIMELINE_LEAD_MINUTES * 60_000);
    const to = row.resolvedAt ?? now;
    const stages = incidentStagesOf(row);
    const stageIds = stages.map((stage) => stage.id);
    const items: Array<Omit<Entry, 'order'>> = [];
    const reference = incidentReference(row.number);

    items.push(
      entry(
        row.createdAt,
        'declared',
        row.declaredBy,
        `${reference} declared as ${row.severity.key} (${row.severity.name}): ${row.title}`,
        { manual: true },
      ),
    );
    if (row.detectedAt.getTime() !== row.createdAt.getTime()) {
      items.push(entry(row.detectedAt, 'status', row.declaredBy, 'Problem detected', { manual: true }));
    }
    const audit = await this.incidents.incidentAudit(row.id);
    const actorOf = (action: string, status?: string) =>
      audit.find(
        (event) => event.action === action && (!status || jsonField(event.after, 'status') === status),
      )?.actorName ??
      row.commander?.email ??
      row.declaredBy;
    if (row.acknowledgedAt) {
      items.push(
        entry(row.acknowledgedAt, 'status', actorOf('incident.acknowledge'), 'Acknowledged', {
          manual: true,
        }),
      );
    }
    for (const [status, at] of [
      ['identified', row.identifiedAt],
      ['monitoring', row.monitoringAt],
      ['resolved', row.resolvedAt],
    ] as const) {
      if (at)
        items.push(
          entry(at, 'status', actorOf('incident.status', status), `Status: ${status}`, { manual: true }),
        );
    }
    for (const note of await this.incidents.notes(row.id)) {
      items.push(entry(note.createdAt, 'note', note.author, note.body, { manual: true }));
    }
    for (const link of row.deployments) {
      const deployment = mapDeployment(link.deployment);
      const what = `${deployment.kind} of ${deployment.release.version} to ${deployment.serviceSlug}/${deployment.environmentSlug}`;
      items.push(
        entry(
          link.createdAt,
          'link',
          link.createdBy,
          link.relation === 'remediation'
            ? `Remediation: ${what}`
            : link.relation === 'cause'
              ? `Marked as the cause: ${what}`
              : `Suspected: ${what}`,
          { deploymentId: deployment.id, stageId: deployment.stageId },
        ),
      );
    }
    if (stageIds.length > 0) items.push(...(await this.stageEntries(stageIds, stages, from, to)));

    const ordered = items
      .map((item, order) => ({ ...item, order }))
      .sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order)
      .map(({ order, ...item }) => {
        void order;
        return item;
      });
    return { from: from.toISOString(), to: to.toISOString(), items: ordered };
  }

  private async stageEntries(
    stageIds: readonly string[],
    stages: ReturnType<typeof incidentStagesOf>,
    from: Date,
    to: Date,
  ): Promise<Array<Omit<Entry, 'order'>>> {
    const items: Array<Omit<Entry, 'order'>> = [];
    const nameOf = (stageId: string | null) => {
      const stage = stages.find((candidate) => candidate.id === stageId);
      return stage ? `${stage.service.slug}/${stage.environment.slug}` : 'a stage';
    };
    for (const event of await this.incidents.deploymentEvents(stageIds, from, to)) {
      const deployment = event.deployment;
      const word = event.fromStatus === null ? 'requested' : STATUS_WORD[event.toStatus];
      if (!word) continue;
      const where = `${deployment.stage.service.slug}/${deployment.stage.environment.slug}`;
      const detail =
        event.fromStatus === null
          ? deployment.reason && `: ${deployment.reason}`
          : WITH_MESSAGE.includes(event.toStatus) && event.message
            ? `: ${event.message}`
            : '';
      items.push(
        entry(
          event.createdAt,
          deployment.kind === 'rollback' ? 'rollback' : 'deployment',
          event.actor,
          `${KIND_WORD[deployment.kind]} ${deployment.release.version} to ${where} ${word}${detail}`,
          { deploymentId: deployment.id, stageId: deployment.stageId },
        ),
      );
    }
    for (const approval of await this.incidents.approvals(stageIds, from, to)) {
      const deployment = approval.deployment;
      items.push(
        entry(
          approval.createdAt,
          'approval',
          approval.email,
          `${approval.decision === 'approve' ? 'Approved' : 'Rejected'} ${deployment.release.version} to ${deployment.stage.service.slug}/${deployment.stage.environment.slug}${approval.comment ? `: ${approval.comment}` : ''}`,
          { deploymentId: deployment.id, stageId: deployment.stageId },
        ),
      );
    }
    const services = new Set(stages.map((stage) => stage.service.slug));
    const environments = new Set(stages.map((stage) => stage.environment.slug));
    for (const event of await this.incidents.auditEvents(stageIds, from, to)) {
      const reason = event.reason ? `: ${event.reason}` : '';
      const stageId = event.targetType === 'stage' ? event.targetId : null;
      const where = nameOf(stageId);
      switch (event.action) {
        case 'stage.lock':
          items.push(
            entry(event.occurredAt, 'lock', event.actorName, `${where} locked${reason}`, { stageId }),
          );
          break;
        case 'stage.unlock':
          items.push(entry(event.occurredAt, 'lock', event.actorName, `${where} unlocked`, { stageId }));
          break;
        case 'stage.hold_release':
          items.push(
            entry(
              event.occurredAt,
              'hold',
              event.actorName,
              `Hold on ${jsonField(event.before, 'release') ?? 'a release'} released on ${where}${reason}`,
              { stageId },
            ),
          );
          break;
        case 'stage.health_degraded':
          items.push(
            entry(
              event.occurredAt,
              'health',
              event.actorName,
              `${where} health ${jsonField(event.before, 'health') ?? 'unknown'} → ${jsonField(event.after, 'health') ?? 'unknown'}${reason}`,
              { stageId },
            ),
          );
          break;
        default: {
          // Freezes: only those whose scope covers an affected stage.
          const freeze = event.action === 'freeze.create' ? event.after : event.before;
          const scope = jsonField(freeze, 'scope');
          const covers =
            scope === 'all' ||
            (scope === 'environment' && environments.has(jsonField(freeze, 'environmentSlug') ?? '')) ||
            (scope === 'service' && services.has(jsonField(freeze, 'serviceSlug') ?? ''));
          if (!covers) break;
          const target =
            scope === 'all' ? 'everything' : (jsonField(freeze, `${scope}Slug`) ?? scope ?? 'a scope');
          items.push(
            entry(
              event.occurredAt,
              'freeze',
              event.actorName,
              event.action === 'freeze.create'
                ? `Freeze on ${target}: ${jsonField(freeze, 'reason') ?? ''}`
                : `Freeze on ${target} lifted`,
            ),
          );
        }
      }
    }
    // Holds set by rollbacks show as the rollback's own request line; a hold set by hand has no other record.
    return items;
  }
}
