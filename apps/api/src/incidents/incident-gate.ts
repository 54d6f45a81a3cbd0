import { type Gate, incidentReference } from '@flightdeck/contracts';
import type { Tx } from '../database/prisma.service.js';

// Open incidents on a production stage's service whose severity freezes production; null when the stage
// is not in production (nothing to say there).
export interface IncidentGateFacts {
  readonly serviceSlug: string;
  readonly incidents: ReadonlyArray<{
    readonly id: string;
    readonly number: number;
    readonly title: string;
    readonly severityKey: string;
    readonly severityName: string;
  }>;
}

export async function loadIncidentGateFacts(
  tx: Tx,
  stage: { serviceId: string; environmentId: string; service: { slug: string } },
): Promise<IncidentGateFacts | null> {
  const environment = await tx.environment.findUnique({
    where: { id: stage.environmentId },
    select: { tier: true },
  });
  if (environment?.tier !== 'production') return null;
  const rows = await tx.incident.findMany({
    where: {
      status: { not: 'resolved' },
      severity: { freezesProduction: true },
      stages: { some: { stage: { serviceId: stage.serviceId } } },
    },
    select: { id: true, number: true, title: true, severity: { select: { key: true, name: true } } },
    orderBy: { number: 'asc' },
  });
  return {
    serviceSlug: stage.service.slug,
    incidents: rows.map((row) => ({
      id: row.id,
      number: row.number,
      title: row.title,
      severityKey: row.severity.key,
      severityName: row.severity.name,
    })),
  };
}

// Promotions to production wait while an incident freezes the service there; going back (a rollback),
// redeploying what runs or recording a deploy done elsewhere is what an incident needs, so those pass.
export function incidentGate(facts: IncidentGateFacts | null | undefined, action: string): Gate | null {
  if (!facts) return null;
  const [first, ...more] = facts.incidents;
  if (!first) {
    return {
      kind: 'incident',
      state: 'pass',
      message: `No open incident freezes production for ${facts.serviceSlug}`,
      until: null,
      link: null,
    };
  }
  const named = `${incidentReference(first.number)} (${first.severityKey} ${first.severityName}) "${first.title}"`;
  const others = more.length > 0 ? ` and ${more.length} more` : '';
  const link = { label: incidentReference(first.number), href: `/incidents/${first.id}` };
  if (action !== 'promote') {
    return {
      kind: 'incident',
      state: 'pass',
      message: `${named}${others} freezes production for ${facts.serviceSlug}; ${action === 'rollback' ? 'rollbacks' : `a ${action}`} may go through`,
      until: null,
      link,
    };
  }
  return {
    kind: 'incident',
    state: 'fail',
    message: `${named}${others} is open: promotions of ${facts.serviceSlug} to production wait until it is resolved`,
    until: null,
    link,
  };
}
