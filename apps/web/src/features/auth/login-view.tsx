import { KeyRound, ShieldCheck } from 'lucide-react';
import { Navigate, useSearchParams } from 'react-router';
import { ErrorState } from '../../components/ui/error-state';
import { InlineError, InlineNote } from '../../components/ui/field';
import { paths } from '../../config/paths';
import { describeError } from '../../lib/errors';
import { LoginForm } from './login-form';
import { safeReturnTo, ssoLoginHref } from './return-to';
import { describeSsoError } from './sso-errors';
import { useAuthState } from './use-auth';

export function LoginView() {
  const query = useAuthState();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const ssoError = searchParams.get('error');

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
  const { setupRequired, user, sso, localLogin } = query.data;
  if (setupRequired) return <Navigate to={paths.setup} replace />;
  if (user) return <Navigate to={returnTo} replace />;

  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title" className="auth-title">
        Sign in to Flightdeck
      </h1>
      {ssoError ? (
        <InlineError title="Single sign-on failed">
          <p>{describeSsoError(ssoError)}</p>
          <p className="muted small">
            Code: <code>{ssoError}</code>
          </p>
        </InlineError>
      ) : null}
      {sso.enabled ? (
        <a className="button button-block button-primary" href={ssoLoginHref(returnTo)}>
          <ShieldCheck size={15} aria-hidden />
          Sign in with {sso.name}
        </a>
      ) : null}
      {sso.enabled && localLogin ? (
        <div className="divider" role="separator">
          <span>or with a password</span>
        </div>
      ) : null}
      {localLogin ? <LoginForm returnTo={returnTo} /> : null}
      {!localLogin && sso.enabled ? (
        <p className="muted small">Password sign-in is turned off on this Flightdeck; use {sso.name}.</p>
      ) : null}
      {!localLogin && !sso.enabled ? (
        <InlineNote tone="warning" icon={<KeyRound size={16} aria-hidden />}>
          No sign-in method is turned on. An operator must enable password sign-in or configure single sign-on
          in the server settings.
        </InlineNote>
      ) : null}
    </section>
  );
}
