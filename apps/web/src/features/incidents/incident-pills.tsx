import type { IncidentStatus, IncidentSummary } from '@flightdeck/contracts';
import { AlertTriangle } from 'lucide-react';
import { StatusPill } from '../../components/ui/status-pill';
import { severityTone, STATUS_META } from './incident-meta';

export function IncidentStatusPill({ status }: { status: IncidentStatus }) {
  const { tone, Icon, label } = STATUS_META[status];
  return <StatusPill tone={tone} Icon={Icon} label={label} />;
}

export function SeverityPill({ severity }: { severity: IncidentSummary['severity'] }) {
  return (
    <StatusPill
      tone={severityTone(severity)}
      Icon={AlertTriangle}
      label={`${severity.key} ${severity.name}`}
      title={`Respond within ${severity.expectedResponseMinutes} minutes${severity.freezesProduction ? '; freezes production while open' : ''}`}
    />
  );
}
