import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { describeError } from '../../lib/errors';
import { formatAge, formatTimestamp } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import type { StageLockTarget } from './stage-lock-target';
import { useUnlockStage } from './use-stage-lock';

interface UnlockStageDialogProps {
  target: StageLockTarget;
  onClose: () => void;
}

export function UnlockStageDialog({ target, onClose }: UnlockStageDialogProps) {
  const unlock = useUnlockStage(target.stageId);
  const now = useNow();
  const lock = target.lock;
  return (
    <ConfirmDialog
      open
      title={`Unlock ${target.serviceName} in ${target.environmentName}?`}
      confirmLabel="Unlock"
      busyLabel="Unlocking…"
      busy={unlock.isPending}
      error={unlock.error ? describeError(unlock.error).message : null}
      onConfirm={() => unlock.mutate(undefined, { onSuccess: onClose })}
      onClose={onClose}
    >
      {lock ? (
        <dl className="lock-facts">
          <dt>Locked by</dt>
          <dd>{lock.by}</dd>
          <dt>Reason</dt>
          <dd>{lock.reason}</dd>
          <dt>Since</dt>
          <dd>
            <time dateTime={lock.at} title={formatTimestamp(lock.at)}>
              {formatTimestamp(lock.at)} ({formatAge(lock.at, Math.max(now, Date.parse(lock.at)))})
            </time>
          </dd>
        </dl>
      ) : null}
      <p>Deployments can reach this stage again as soon as it is unlocked.</p>
    </ConfirmDialog>
  );
}
