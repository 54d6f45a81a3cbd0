import { ApiError, lockBodySchema } from '@flightdeck/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import type { StageLockTarget } from './stage-lock-target';
import { useLockStage } from './use-stage-lock';

interface LockStageDialogProps {
  target: StageLockTarget;
  onClose: () => void;
}

export function LockStageDialog({ target, onClose }: LockStageDialogProps) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const lock = useLockStage(target.stageId);

  // showModal() focuses the dialog's first button (Close); the reason is what the user came to type.
  // This effect runs after the Dialog's, which opened the modal.
  useEffect(() => {
    document.querySelector<HTMLInputElement>('#lock-stage-form input')?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The contract's own schema checks first, so the message matches the server's.
    const parsed = lockBodySchema.safeParse({ reason });
    setErrors(parsed.success ? {} : fieldErrorsFromZod(parsed.error));
    if (!parsed.success) return;
    lock.mutate(parsed.data.reason, {
      onSuccess: onClose,
      onError: (error) => setErrors(fieldErrorsFromApi(error)),
    });
  };

  const fieldError = errors.reason;
  const unexpected =
    lock.error && !(lock.error instanceof ApiError && lock.error.status === 400 && fieldError)
      ? lock.error
      : null;

  return (
    <FormDialog
      open
      title={`Lock ${target.serviceName} in ${target.environmentName}`}
      onClose={onClose}
      formId="lock-stage-form"
      onSubmit={submit}
      submitLabel="Lock stage"
      pendingLabel="Locking…"
      pending={lock.isPending}
      error={unexpected}
      errorTitle="Not locked"
    >
      <p className="dialog-lead">
        No deployment reaches this stage while it is locked. Everyone sees who locked it and why.
      </p>
      <TextField
        label="Reason"
        hint="For example: release freeze until Monday, incident INC-142 in progress."
        error={fieldError}
        autoComplete="off"
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
    </FormDialog>
  );
}
