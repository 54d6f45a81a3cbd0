import { CircleAlert, CircleCheck, Info, X } from 'lucide-react';
import { Link } from 'react-router';
import { dismissToast, useToasts } from './toast-store';

// Always mounted so screen readers already watch the live region when the first message arrives.
export function ToastRegion() {
  const toasts = useToasts();
  return (
    <section className="toast-region" aria-label="Notifications">
      <ol aria-live="assertive" aria-relevant="additions text">
        {toasts.map((toast) => (
          <li key={toast.id} className="toast" data-tone={toast.tone}>
            {toast.tone === 'danger' ? (
              <CircleAlert className="toast-icon" aria-hidden size={16} />
            ) : toast.tone === 'success' ? (
              <CircleCheck className="toast-icon" aria-hidden size={16} />
            ) : (
              <Info className="toast-icon" aria-hidden size={16} />
            )}
            <div className="toast-body">
              <p className="toast-title">
                {toast.title}
                {toast.repeats > 1 ? <span className="toast-repeats"> ×{toast.repeats}</span> : null}
              </p>
              <p className="toast-message">{toast.message}</p>
              {toast.code ? <code className="toast-code">{toast.code}</code> : null}
              {toast.link ? (
                <Link className="toast-link" to={toast.link.to} onClick={() => dismissToast(toast.id)}>
                  {toast.link.label}
                </Link>
              ) : null}
            </div>
            <button
              type="button"
              className="icon-button toast-dismiss"
              onClick={() => dismissToast(toast.id)}
              aria-label={`Dismiss: ${toast.title}`}
            >
              <X size={14} aria-hidden />
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
