import { Siren } from 'lucide-react';
import { useState } from 'react';
import { useCan } from '../auth/use-auth';
import { DeclareIncidentDialog } from './declare-incident-dialog';

interface DeclareIncidentButtonProps {
  stageIds?: readonly string[];
  deploymentId?: string;
  context?: string;
  // Narrows the stage list at first (e.g. to the service's stages).
  stageFilter?: string;
  className?: string;
}

// Who is offered "Declare incident" (the server decides): also the board's cell action.
export function useCanDeclareIncident(): boolean {
  return useCan('deployments:write');
}

// "Declare incident" wherever trouble is noticed: the incidents page, a stage, a deployment.
export function DeclareIncidentButton(props: DeclareIncidentButtonProps) {
  const { stageIds, deploymentId, context, stageFilter, className } = props;
  const canDeclare = useCanDeclareIncident();
  const [open, setOpen] = useState(false);
  if (!canDeclare) return null;
  return (
    <>
      <button type="button" className={className ?? 'button'} onClick={() => setOpen(true)}>
        <Siren size={15} aria-hidden />
        Declare incident
      </button>
      {open ? (
        <DeclareIncidentDialog
          onClose={() => setOpen(false)}
          {...(stageIds ? { stageIds } : {})}
          {...(deploymentId ? { deploymentId } : {})}
          {...(context ? { context } : {})}
          {...(stageFilter ? { stageFilter } : {})}
        />
      ) : null}
    </>
  );
}
