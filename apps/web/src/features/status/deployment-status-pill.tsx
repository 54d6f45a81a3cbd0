import type { DeploymentStatus, HealthStatus } from '@flightdeck/contracts';
import type { ReactNode } from 'react';
import { StatusPill } from '../../components/ui/status-pill';
import { DEPLOYMENT_STATUS_META, HEALTH_STATUS_META } from './status-meta';

export function DeploymentStatusPill({
  status,
  children,
}: {
  status: DeploymentStatus;
  children?: ReactNode;
}) {
  const meta = DEPLOYMENT_STATUS_META[status];
  return (
    <StatusPill
      tone={meta.tone}
      Icon={meta.Icon}
      label={meta.label}
      spinning={meta.spinning}
      quiet={meta.quiet}
    >
      {children}
    </StatusPill>
  );
}

export function HealthPill({ health, message }: { health: HealthStatus; message?: string }) {
  const meta = HEALTH_STATUS_META[health];
  return (
    <StatusPill
      tone={meta.tone}
      Icon={meta.Icon}
      label={meta.label}
      quiet={meta.quiet}
      title={message || undefined}
    />
  );
}
