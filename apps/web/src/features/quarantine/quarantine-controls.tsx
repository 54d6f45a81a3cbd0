import { ApiError, quarantineBodySchema, type Release } from '@flightdeck/contracts';
import { ShieldBan, ShieldCheck } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { Badge } from '../../components/ui/badge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { FormDialog } from '../../components/ui/form-dialog';
import { TextField } from '../../components/ui/text-field';
import { Tooltip } from '../../components/ui/tooltip';
import { describeError } from '../../lib/errors';
import { fieldErrorsFromApi, fieldErrorsFromZod, type FieldErrors } from '../../lib/form-errors';
import { formatTimestamp } from '../../lib/time';
import { pushToast } from '../notifications/toast-store';
import { useLiftQuarantine, useQuarantineRelease } from './use-quarantine';
import './quarantine.css';

type Quarantine = NonNullable<Release['quarantine']>;

export function quarantineSentence(quarantine: Quarantine): string {
  return `Quarantined by ${quarantine.by} (${formatTimestamp(quarantine.at)}): ${quarantine.reason}`;
}

// Who marked the release bad and why, on hover or focus: no stage may receive it.
export function QuarantineBadge({ quarantine }: { quarantine: Quarantine }) {
  return (
    <Tooltip content={`${quarantineSentence(quarantine)}. No stage may receive it.`}>
      <span className="quarantine-badge" tabIndex={0} aria-label={quarantineSentence(quarantine)}>
        <Badge tone="danger" icon={<ShieldBan size={11} aria-hidden />}>
          Quarantined
        </Badge>
      </span>
    </Tooltip>
  );
}

interface ActionsProps {
  release: Release;
  serviceSlug: string;
}

// "Quarantine…" or "Lift quarantine…" for one release, with its dialog.
export function QuarantineActions({ release, serviceSlug }: ActionsProps) {
  const [open, setOpen] = useState(false);
  const quarantined = release.quarantine !== null;
  return (
    <>
      <button
        type="button"
        className={quarantined ? 'button button-small' : 'button button-small button-danger-ghost'}
        aria-label={`${quarantined ? 'Lift the quarantine of' : 'Quarantine'} ${release.version}…`}
        onClick={() => setOpen(true)}
      >
        {quarantined ? <ShieldCheck size={13} aria-hidden /> : <ShieldBan size={13} aria-hidden />}
        {quarantined ? 'Lift quarantine…' : 'Quarantine…'}
      </button>
      {open && release.quarantine ? (
        <LiftQuarantineDialog
          release={release}
          quarantine={release.quarantine}
          serviceSlug={serviceSlug}
          onClose={() => setOpen(false)}
        />
      ) : null}
      {open && !release.quarantine ? (
        <QuarantineDialog release={release} serviceSlug={serviceSlug} onClose={() => setOpen(false)} />
      ) : null}
    </>
  );
}

function QuarantineDialog({ release, serviceSlug, onClose }: ActionsProps & { onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const quarantine = useQuarantineRelease(serviceSlug, release.id);
  const formId = 'quarantine-form';

  useEffect(() => {
    document.querySelector<HTMLInputElement>(`#${formId} input`)?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = quarantineBodySchema.safeParse({ reason });
    setErrors(parsed.success ? {} : fieldErrorsFromZod(parsed.error));
    if (!parsed.success) return;
    quarantine.mutate(parsed.data.reason, {
      onSuccess: () => {
        pushToast({
          id: `quarantine:${release.id}`,
          tone: 'success',
          title: `${release.version} quarantined`,
          message: `${serviceSlug}: no stage may receive ${release.version} until the quarantine is lifted.`,
          code: null,
        });
        onClose();
      },
      onError: (error) => setErrors(fieldErrorsFromApi(error)),
    });
  };

  const unexpected =
    quarantine.error &&
    !(quarantine.error instanceof ApiError && quarantine.error.status === 400 && errors.reason)
      ? quarantine.error
      : null;

  return (
    <FormDialog
      open
      title={`Quarantine ${release.version}`}
      onClose={onClose}
      formId={formId}
      onSubmit={submit}
      submitLabel="Quarantine release"
      pendingLabel="Quarantining…"
      pending={quarantine.isPending}
      error={unexpected}
      errorTitle="Not quarantined"
    >
      <p className="dialog-lead">
        A quarantined release is blocked in every stage, with your reason, until someone lifts the quarantine.
        Where it already runs, it keeps running: roll those stages back to replace it.
      </p>
      <TextField
        label="Reason"
        hint="For example: corrupts carts on checkout, INC-231."
        error={errors.reason}
        autoComplete="off"
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
    </FormDialog>
  );
}

interface LiftProps extends ActionsProps {
  quarantine: Quarantine;
  onClose: () => void;
}

function LiftQuarantineDialog({ release, quarantine, serviceSlug, onClose }: LiftProps) {
  const lift = useLiftQuarantine(serviceSlug, release.id);
  return (
    <ConfirmDialog
      open
      title={`Lift the quarantine of ${release.version}?`}
      confirmLabel="Lift quarantine"
      busyLabel="Lifting…"
      busy={lift.isPending}
      error={lift.error ? describeError(lift.error).message : null}
      onConfirm={() =>
        lift.mutate(undefined, {
          onSuccess: () => {
            pushToast({
              id: `quarantine:${release.id}`,
              tone: 'success',
              title: `Quarantine of ${release.version} lifted`,
              message: `${serviceSlug}: ${release.version} may be deployed again.`,
              code: null,
            });
            onClose();
          },
        })
      }
      onClose={onClose}
    >
      <dl className="quarantine-facts">
        <dt>Quarantined by</dt>
        <dd>{quarantine.by}</dd>
        <dt>Reason</dt>
        <dd>{quarantine.reason}</dd>
        <dt>Since</dt>
        <dd>
          <time dateTime={quarantine.at}>{formatTimestamp(quarantine.at)}</time>
        </dd>
      </dl>
      <p>
        Once lifted, {release.version} can be promoted to every stage again, automatic promotion included.
      </p>
    </ConfirmDialog>
  );
}
