import { X } from 'lucide-react';
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  // Buttons, right-aligned under the content.
  footer?: ReactNode;
  // While a request runs, Escape and the close button do nothing.
  busy?: boolean;
  size?: 'sm' | 'md' | 'lg';
  tone?: 'danger';
}

// The native <dialog> gives the modal top layer, inert background and focus return for free.
// Browsers without showModal (and jsdom) fall back to the `open` attribute.
export function Dialog({ open, title, onClose, children, footer, busy, size = 'md', tone }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
    }
    return () => {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    };
  }, [open]);

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className="dialog"
      data-size={size}
      data-tone={tone}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: closes unless a request is in flight; React state stays the source of truth.
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} disabled={busy} aria-label="Close">
          <X size={16} aria-hidden />
        </button>
      </div>
      <div className="dialog-body">{children}</div>
      {footer ? <div className="dialog-footer">{footer}</div> : null}
    </dialog>
  );
}
