import {
  incidentReference,
  type IncidentStatusUpdate,
  type NotificationEventType,
} from '@flightdeck/contracts';
import { z } from 'zod';

// What a message needs from an event's payload; anything missing renders as a neutral word, never fails.
const named = z.object({ slug: z.string().catch('?'), name: z.string().optional().catch(undefined) });
const payloadSchema = z.object({
  deployment: z
    .object({
      id: z.string().catch(''),
      kind: z.string().catch('promote'),
      requestedBy: z.string().catch('someone'),
      reason: z.string().catch(''),
      error: z.string().nullable().catch(null),
      breakGlass: z.boolean().catch(false),
    })
    .optional()
    .catch(undefined),
  service: named.optional().catch(undefined),
  environment: named.optional().catch(undefined),
  release: z
    .object({ version: z.string().catch('?') })
    .optional()
    .catch(undefined),
  status: z.string().optional().catch(undefined),
  approvers: z
    .array(z.object({ email: z.string().catch('?') }))
    .optional()
    .catch(undefined),
  requiredApprovals: z.number().optional().catch(undefined),
  decision: z
    .object({
      decision: z.string().catch('approve'),
      by: z.string().catch('someone'),
      comment: z.string().catch(''),
    })
    .optional()
    .catch(undefined),
  hold: z
    .object({
      reason: z.string().nullable().catch(null),
      release: z.object({ version: z.string().catch('?') }).catch({ version: '?' }),
    })
    .optional()
    .catch(undefined),
  incident: z
    .object({
      id: z.string().catch(''),
      number: z.number().catch(0),
      title: z.string().catch(''),
      severity: z.string().catch('?'),
      status: z.string().catch('investigating'),
      affectedServices: z.array(z.string()).catch([]),
      message: z.string().optional().catch(undefined),
      changes: z.array(z.string()).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  message: z.string().optional().catch(undefined),
});
type Payload = z.infer<typeof payloadSchema>;

export interface RenderedNotification {
  // One line: Slack's fallback text and the generic payload's summary.
  readonly summary: string;
  // Further lines (reason, error, who may approve).
  readonly details: readonly string[];
  // Where to look in Flightdeck, when its public URL is configured.
  readonly url: string | null;
}

export interface IncidentTemplateInput {
  readonly number: number;
  readonly title: string;
  readonly severity: string;
  readonly affectedServices: readonly string[];
  readonly link: string | null;
}

// Status updates for incidents, one template per status.
const INCIDENT_TEMPLATES: Record<IncidentStatusUpdate, (i: IncidentTemplateInput) => string> = {
  investigating: (i) =>
    `Investigating: ${incidentReference(i.number)} "${i.title}" (${i.severity}). We are looking into it${affected(i)}.`,
  identified: (i) =>
    `Identified: the cause of ${incidentReference(i.number)} "${i.title}" (${i.severity}) is known and a fix is under way${affected(i)}.`,
  monitoring: (i) =>
    `Monitoring: a fix for ${incidentReference(i.number)} "${i.title}" (${i.severity}) is in place and we are watching the results${affected(i)}.`,
  resolved: (i) =>
    `Resolved: ${incidentReference(i.number)} "${i.title}" (${i.severity}) is resolved${affected(i)}.`,
};

function affected(input: IncidentTemplateInput): string {
  return input.affectedServices.length ? `; affected: ${input.affectedServices.join(', ')}` : '';
}

export function isIncidentStatus(value: string): value is IncidentStatusUpdate {
  return value in INCIDENT_TEMPLATES;
}

// A status update from its template, with the link on a line of its own when there is one.
export function renderIncidentStatusUpdate(
  status: IncidentStatusUpdate,
  input: IncidentTemplateInput,
): string {
  const text = INCIDENT_TEMPLATES[status](input);
  return input.link ? `${text}\n${input.link}` : text;
}

function where(p: Payload): string {
  const release = p.release?.version ?? '?';
  return `${p.service?.slug ?? '?'} ${release} to ${p.environment?.slug ?? '?'}`;
}

function link(publicUrl: string | null, path: string | null): string | null {
  return publicUrl && path ? new URL(path, publicUrl).toString() : null;
}

function summaryFor(type: NotificationEventType, p: Payload): string {
  const d = p.deployment;
  const kind = d?.kind === 'rollback' ? 'Rollback of' : 'Deployment of';
  switch (type) {
    case 'deployment.started':
      return `${kind} ${where(p)} started (requested by ${d?.requestedBy ?? 'someone'})${d?.breakGlass ? ' [break glass]' : ''}`;
    case 'deployment.succeeded':
      return `${kind} ${where(p)} succeeded`;
    case 'deployment.failed':
      return `${kind} ${where(p)} ${p.status === 'timed_out' ? 'timed out' : 'failed'}`;
    case 'approval.requested':
      return `Approval needed: ${where(p)} (requested by ${d?.requestedBy ?? 'someone'})`;
    case 'approval.decided': {
      const decision = p.decision;
      const verb = decision?.decision === 'reject' ? 'rejected' : 'approved';
      return `${decision?.by ?? 'Someone'} ${verb} ${where(p)}`;
    }
    case 'rollback.requested':
      return `Rollback requested: ${where(p)} by ${d?.requestedBy ?? 'someone'}`;
    case 'hold.set':
      return `Hold set on ${p.service?.slug ?? '?'} in ${p.environment?.slug ?? '?'}: ${p.hold?.release.version ?? '?'} stays out until released`;
    case 'incident.opened':
    case 'incident.changed': {
      const i = p.incident;
      if (!i) return 'Incident updated';
      const input = { ...i, link: null };
      // An edit says what changed rather than repeating the status update.
      if (type === 'incident.changed' && i.changes?.length) {
        return `Updated: ${incidentReference(i.number)} "${i.title}" (${i.severity}): ${i.changes.join('; ')}`;
      }
      return isIncidentStatus(i.status)
        ? renderIncidentStatusUpdate(i.status, input)
        : `${incidentReference(i.number)} "${i.title}" (${i.severity}) is ${i.status}`;
    }
    case 'test':
      return p.message ?? 'Test notification from Flightdeck';
  }
}

function detailsFor(type: NotificationEventType, p: Payload): string[] {
  const lines: string[] = [];
  const d = p.deployment;
  if (d?.reason) lines.push(`Reason: ${d.reason}`);
  if (type === 'deployment.failed' && d?.error) lines.push(`Error: ${d.error}`);
  if (type === 'approval.requested' && p.approvers) {
    const who = p.approvers.map((a) => a.email).join(', ');
    lines.push(`Needs ${p.requiredApprovals ?? 1} approval(s) from: ${who || 'anyone who may approve'}`);
  }
  if (type === 'approval.decided' && p.decision?.comment) lines.push(`Comment: ${p.decision.comment}`);
  if (type === 'hold.set' && p.hold?.reason) lines.push(`Reason: ${p.hold.reason}`);
  if (p.incident?.message) lines.push(p.incident.message);
  return lines;
}

export function renderNotification(
  type: NotificationEventType,
  raw: unknown,
  publicUrl: string | null,
): RenderedNotification {
  const p = payloadSchema.parse(raw ?? {});
  const path = p.incident?.id
    ? `/incidents/${p.incident.id}`
    : p.deployment?.id
      ? `/deployments/${p.deployment.id}`
      : null;
  return { summary: summaryFor(type, p), details: detailsFor(type, p), url: link(publicUrl, path) };
}

// Slack's incoming-webhook shape: `text` is the notification fallback, `blocks` what people see.
export function slackBody(message: RenderedNotification): Record<string, unknown> {
  const lines = [message.summary, ...message.details].map(escapeSlack);
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
  ];
  if (message.url) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${message.url}|Open in Flightdeck>` }],
    });
  }
  return { text: message.summary, blocks };
}

// Slack treats &, < and > as control characters in mrkdwn.
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface WebhookEnvelope {
  readonly id: string;
  readonly deliveryId: string;
  readonly type: NotificationEventType;
  readonly occurredAt: string;
  readonly summary: string;
  readonly details: readonly string[];
  readonly url: string | null;
  readonly data: unknown;
}

// The generic signed JSON: the rendered text for people plus the event's data for programs.
export function webhookBody(
  event: { id: string; type: NotificationEventType; occurredAt: Date; payload: unknown },
  deliveryId: string,
  message: RenderedNotification,
): WebhookEnvelope {
  return {
    id: event.id,
    deliveryId,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    summary: message.summary,
    details: message.details,
    url: message.url,
    data: event.payload,
  };
}
