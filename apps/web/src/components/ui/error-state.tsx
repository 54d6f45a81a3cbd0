import { RefreshCw, TriangleAlert } from 'lucide-react';
import type { ErrorSummary } from '../../lib/errors';

interface ErrorStateProps {
  title: string;
  error: ErrorSummary;
  onRetry?: () => void;
  retrying?: boolean;
}

export function ErrorState({ title, error, onRetry, retrying }: ErrorStateProps) {
  return (
    <div className="state-panel" role="alert" data-tone="danger">
      <div className="state-icon">
        <TriangleAlert size={20} aria-hidden />
      </div>
      <h2 className="state-title">{title}</h2>
      <div className="state-body">
        <p>{error.message}</p>
        {error.code ? (
          <p className="state-meta">
            <code>{error.code}</code>
            {error.status ? <span> · HTTP {error.status}</span> : null}
          </p>
        ) : null}
      </div>
      {onRetry ? (
        <div className="state-actions">
          <button type="button" className="button" onClick={onRetry} disabled={retrying}>
            <RefreshCw size={14} aria-hidden className={retrying ? 'spin' : undefined} />
            {retrying ? 'Retrying…' : 'Try again'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
