import type { DeploymentDetail } from '@flightdeck/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { TextField } from '../../components/ui/text-field';
import { describeError } from '../../lib/errors';
import { useCancelDeployment } from './use-deployment-actions';

interface CancelDeploymentDialogProps {
  deployment: DeploymentDetail;
  onClose: () => void;
}

export function CancelDeploymentDialog({ deployment, onClose }: CancelDeploymentDialogProps) {
  const [reason, setReason] = useState('');
  const cancel = useCancelDeployment(deployment.id);
  const started = deployment.status !== 'pending';
  return (
    <ConfirmDialog
      open
      tone="danger"
      title={`Cancel ${deployment.release.version} to ${deployment.environmentSlug}?`}
      confirmLabel="Cancel deployment"
      busyLabel="Cancelling…"
      busy={cancel.isPending}
      error={cancel.error ? describeError(cancel.error).message : null}
      onConfirm={() => cancel.mutate(reason.trim(), { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>
        {started
          ? 'The driver is asked to stop where it can. What already changed on the target stays as it is: check the stage’s health afterwards.'
          : 'It has not started: nothing reaches the stage.'}
      </p>
      <TextField
        label="Reason (optional)"
        hint="Recorded on the deployment and in the audit log."
        autoComplete="off"
        maxLength={500}
        value={reason}
        disabled={cancel.isPending}
        onChange={(event) => setReason(event.target.value)}
      />
    </ConfirmDialog>
  );
}
