import { FileKey2 } from 'lucide-react';
import { Navigate } from 'react-router';
import { ErrorState } from '../../components/ui/error-state';
import { paths } from '../../config/paths';
import { describeError } from '../../lib/errors';
import { SetupForm } from './setup-form';
import { useAuthState } from './use-auth';

export function SetupView() {
  const query = useAuthState();
  if (query.isPending) return <div className="auth-card-placeholder" aria-busy="true" />;
  if (!query.data) {
    return (
      <ErrorState
        title="Flightdeck is not answering"
        error={describeError(query.error)}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  if (!query.data.setupRequired) return <Navigate to={query.data.user ? paths.board : paths.login} replace />;

  return (
    <section className="auth-card auth-card-wide" aria-labelledby="setup-title">
      <h1 id="setup-title" className="auth-title">
        Set up Flightdeck
      </h1>
      <p className="auth-lead">Create the first admin account. You can invite everyone else afterwards.</p>
      <div className="setup-where">
        <FileKey2 size={18} aria-hidden className="setup-where-icon" />
        <div>
          <p className="setup-where-title">Where is the setup token?</p>
          <p>
            When it first started, the server wrote a one-time token to the file <code>setup-token</code> in
            its data directory and printed that file&apos;s full path in its log. Only someone with access to
            the server can read it: that is how Flightdeck knows you run it.
          </p>
          <p className="muted small">
            The data directory is <code>FLIGHTDECK_DATA_DIR</code>: <code>./data</code> by default,{' '}
            <code>/data</code> in the container image. For example: <code>cat data/setup-token</code>.
          </p>
        </div>
      </div>
      <SetupForm />
    </section>
  );
}
