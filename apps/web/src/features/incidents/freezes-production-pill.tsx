import type { IncidentSeverity } from '@flightdeck/contracts';
import { Snowflake, Rocket } from 'lucide-react';
import { StatusPill } from '../../components/ui/status-pill';

// Whether an open incident of this severity holds production promotions: colour, icon and text.
export function FreezesProductionPill({ severity }: { severity: IncidentSeverity }) {
  return severity.freezesProduction ? (
    <StatusPill tone="danger" Icon={Snowflake} label="Freezes production" />
  ) : (
    <StatusPill tone="neutral" Icon={Rocket} label="Production stays open" quiet />
  );
}
