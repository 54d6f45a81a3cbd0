import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorState } from '../../components/ui/error-state';
import { paths } from '../../config/paths';
import { describeError } from '../../lib/errors';
import { MeContext } from './me-context';
import { loginPathFor } from './return-to';
import { useAuthState } from './use-auth';

// Guards every screen of the app shell. The auth state is the one source of truth: a 401 from any
// query refetches it (see config/query-client), and this component then sends the user to sign in.
export function RequireAuth() {
  const query = useAuthState();
  const location = useLocation();

  if (query.isPending) {
    return (
      <div className="auth-splash" role="status">
        <span className="sr-only">Checking your session…</span>
      </div>
    );
  }
  if (!query.data) {
    return (
      <div className="auth-splash">
        <ErrorState
          title="Flightdeck could not check your session"
          error={describeError(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      </div>
    );
  }
  if (query.data.setupRequired) return <Navigate to={paths.setup} replace />;
  if (!query.data.user) {
    return <Navigate to={loginPathFor(location.pathname + location.search + location.hash)} replace />;
  }
  return (
    <MeContext.Provider value={query.data.user}>
      <Outlet />
    </MeContext.Provider>
  );
}
