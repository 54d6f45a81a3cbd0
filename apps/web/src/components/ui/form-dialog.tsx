import type { FormEvent, ReactNode } from 'react';
import { Dialog } from './dialog';
import { FormError } from './form-error';

interface FormDialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  // Ties the footer's submit button to the form inside the body.
  formId: string;
  onSubmit: (event: FormEvent) => void;
  submitLabel: string;
  pendingLabel?: string;
  pending: boolean;
  // A failure no field shows, with the banner's title.
  error?: unknown;
  errorTitle?: string;
  children: ReactNode;
}

// A dialog around one form: Cancel and submit in the footer, both held while the request runs.
export function FormDialog(props: FormDialogProps) {
  const { open, title, onClose, formId, onSubmit, submitLabel, pendingLabel, pending, error, errorTitle } =
    props;
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      busy={pending}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={pending}>
            {pending ? (pendingLabel ?? `${submitLabel}…`) : submitLabel}
          </button>
        </>
      }
    >
      <form id={formId} className="form-stack" onSubmit={onSubmit} noValidate>
        <FormError error={error} title={errorTitle ?? 'Not saved'} />
        {props.children}
      </form>
    </Dialog>
  );
}
