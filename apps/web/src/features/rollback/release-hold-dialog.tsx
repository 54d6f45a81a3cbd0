import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { describeError } from '../../lib/errors';
import { pushToast } from '../notifications/toast-store';
import { useReleaseHold } from './rollback-queries';
import type { HoldTarget } from './rollback-target';
import './rollback.css';

interface ReleaseHoldDialogProps {
  target: HoldTarget;
  onClose: () => void;
}

// Releasing a hold lets the release a rollback backed out come back: say so before doing it.
export function ReleaseHoldDialog({ target, onClose }: ReleaseHoldDialogProps) {
  const release = useReleaseHold(target.stageId);
  const version = target.hold.release.version;
  return (
    <ConfirmDialog
      open
      title={`Release the hold on ${target.serviceName} in ${target.environmentName}?`}
      confirmLabel="Release hold"
      busyLabel="Releasing…"
      busy={release.isPending}
      error={release.error ? describeError(release.error).message : null}
      onConfirm={() =>
        release.mutate(undefined, {
          onSuccess: () => {
            pushToast({
              id: `hold:${target.stageId}`,
              tone: 'success',
              title: `Hold released in ${target.environmentName}`,
              message: `${target.serviceName}: ${version} may be promoted there again.`,
              code: null,
            });
            onClose();
          },
        })
      }
      onClose={onClose}
    >
      <dl className="hold-facts">
        <dt>Held release</dt>
        <dd className="mono">{version}</dd>
        <dt>Reason</dt>
        <dd>{target.hold.reason ?? <span className="muted">No reason recorded</span>}</dd>
      </dl>
      <p>
        A rollback backed {version} out of {target.environmentName}. Once the hold is released, {version} can
        be promoted there again, and automatic promotion resumes: release it only when the problem is fixed.
      </p>
    </ConfirmDialog>
  );
}
