import { CircleAlert } from 'lucide-react';
import { useId, type ReactElement, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  // Receives the ids to wire: the control must spread them.
  children: (ids: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactElement;
  className?: string;
}

// Label, control, hint and error wired together, so screen readers read the error with the field.
export function Field({ label, hint, error, children, className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={className ? `field ${className}` : 'field'} data-invalid={error ? true : undefined}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({
        id,
        'aria-describedby': describedBy || undefined,
        'aria-invalid': error ? true : undefined,
      })}
      {error ? (
        <p id={errorId} className="field-error">
          <CircleAlert size={13} aria-hidden />
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function InlineError({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <div className="inline-alert" data-tone="danger" role="alert">
      <CircleAlert size={16} aria-hidden className="inline-alert-icon" />
      <div>
        {title ? <p className="inline-alert-title">{title}</p> : null}
        <div className="inline-alert-body">{children}</div>
      </div>
    </div>
  );
}

export function InlineNote({
  children,
  tone = 'info',
  icon,
}: {
  children: ReactNode;
  tone?: 'info' | 'warning' | 'success';
  icon?: ReactNode;
}) {
  return (
    <div className="inline-alert" data-tone={tone}>
      {icon ? <span className="inline-alert-icon">{icon}</span> : null}
      <div className="inline-alert-body">{children}</div>
    </div>
  );
}
