import {
  formatIncidentDuration as formatDuration,
  type Incident,
  type TimelineEntry,
} from '@flightdeck/contracts';

// "2026-11-22 10:05:00 UTC": the same in every reader's copy, whatever their time zone.
function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';
}

// A table cell: pipes would end it and newlines would end the row.
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function section(title: string, body: string): string[] {
  return [`## ${title}`, '', body.trim() === '' ? '_None recorded._' : body.trim(), ''];
}

// The incident and its timeline as Markdown, for a postmortem document or a ticket.
export function renderIncidentMarkdown(incident: Incident, timeline: readonly TimelineEntry[]): string {
  const commander = incident.commander ? `${incident.commander.name} (${incident.commander.email})` : 'none';
  const stages =
    incident.stages.map((stage) => `${stage.serviceSlug}/${stage.environmentSlug}`).join(', ') || 'none';
  const lines = [
    `# ${incident.reference}: ${incident.title}`,
    '',
    `- Severity: ${incident.severity.key} (${incident.severity.name})`,
    `- Status: ${incident.status}`,
    `- Commander: ${commander}`,
    `- Declared by: ${incident.declaredBy}`,
    `- Affected stages: ${stages}`,
    `- Detected: ${utc(incident.detectedAt)}`,
    `- Acknowledged: ${utc(incident.acknowledgedAt)}${incident.mttaSeconds !== null ? ` (MTTA ${formatDuration(incident.mttaSeconds)})` : ''}`,
    `- Identified: ${utc(incident.identifiedAt)}`,
    `- Monitoring: ${utc(incident.monitoringAt)}`,
    `- Resolved: ${utc(incident.resolvedAt)}${incident.mttrSeconds !== null ? ` (MTTR ${formatDuration(incident.mttrSeconds)})` : ''}`,
    '',
    ...section('Summary', incident.summary),
    ...section('Impact', incident.impact),
    ...section('Root cause', incident.rootCause),
    ...section(
      'Action items',
      incident.actionItems
        .map(
          (item) =>
            `- [${item.state === 'done' ? 'x' : ' '}] ${item.title} — ${item.owner ? item.owner.name : 'no owner'}`,
        )
        .join('\n'),
    ),
    ...section(
      'Linked deployments',
      incident.deployments
        .map(
          ({ relation, deployment }) =>
            `- ${relation}: ${deployment.kind} of ${deployment.release.version} to ${deployment.serviceSlug}/${deployment.environmentSlug} (${deployment.status}), requested by ${deployment.requestedBy}`,
        )
        .join('\n'),
    ),
    '## Timeline',
    '',
    '| Time (UTC) | Kind | Who | What |',
    '| --- | --- | --- | --- |',
    ...timeline.map(
      (entry) =>
        `| ${utc(entry.at).replace(' UTC', '')} | ${entry.kind} | ${cell(entry.actor)} | ${cell(entry.text)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
