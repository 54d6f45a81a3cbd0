// What an edit changed, for people following the incident in a channel.
export interface IncidentFacts {
  readonly title: string;
  readonly summary: string;
  readonly severityKey: string;
  readonly commander: { readonly email: string } | null;
  readonly stages: ReadonlyArray<{
    readonly stage: {
      readonly service: { readonly slug: string };
      readonly environment: { readonly slug: string };
    };
  }>;
}

// One line per changed field that channels care about, e.g. "Severity P2 → P1". The postmortem fields
// (impact, root cause) are written after the fact and are left out, as is anything unchanged.
export function incidentChanges(before: IncidentFacts, after: IncidentFacts): string[] {
  const changes: string[] = [];
  if (before.severityKey !== after.severityKey)
    changes.push(`Severity ${before.severityKey} → ${after.severityKey}`);
  if (before.title !== after.title) changes.push(`Title "${before.title}" → "${after.title}"`);
  const commander = (facts: IncidentFacts) => facts.commander?.email ?? 'nobody';
  if (commander(before) !== commander(after)) {
    changes.push(`Commander ${commander(before)} → ${commander(after)}`);
  }
  const stages = stageChange(before, after);
  if (stages) changes.push(stages);
  if (before.summary !== after.summary) changes.push(after.summary ? 'Summary updated' : 'Summary cleared');
  return changes;
}

function stageChange(before: IncidentFacts, after: IncidentFacts): string | null {
  const keys = (facts: IncidentFacts) =>
    new Set(facts.stages.map(({ stage }) => `${stage.service.slug}/${stage.environment.slug}`));
  const was = keys(before);
  const now = keys(after);
  const added = [...now].filter((key) => !was.has(key)).sort();
  const removed = [...was].filter((key) => !now.has(key)).sort();
  if (!added.length && !removed.length) return null;
  const parts = [...added.map((key) => `+${key}`), ...removed.map((key) => `−${key}`)];
  return `Affected stages ${parts.join(', ')}`;
}
