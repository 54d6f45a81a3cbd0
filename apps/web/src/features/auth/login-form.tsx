import { ApiError, endpoints } from '@flightdeck/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Clock, LogIn } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { FormError } from '../../components/ui/form-error';
import { TextField } from '../../components/ui/text-field';
import { api } from '../../config/api';
import { retryAfterSeconds } from '../../lib/form-errors';
import { applyAuthState } from './auth-query';
import { formatWait, useCountdown } from './use-countdown';

export function LoginForm({ returnTo }: { returnTo: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const secondsLeft = useCountdown(blockedUntil);
  const throttled = blockedUntil !== null && secondsLeft > 0;

  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) => api.request(endpoints.login, { body }),
    meta: { authFlow: true },
    onSuccess: (state) => {
      applyAuthState(queryClient, state);
      void navigate(returnTo, { replace: true });
    },
    onError: (error) => {
      const wait = retryAfterSeconds(error);
      setBlockedUntil(wait === null ? null : Date.now() + wait * 1_000);
      // A wrong password keeps the e-mail and clears the password, ready for the next try.
      if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') setPassword('');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (throttled || login.isPending) return;
    const missing = {
      email: email.trim() ? undefined : 'Enter your e-mail address.',
      password: password ? undefined : 'Enter your password.',
    };
    setMissing(missing);
    if (missing.email || missing.password) return;
    login.mutate({ email: email.trim(), password });
  };

  const error =
    login.error && !(login.error instanceof ApiError && login.error.status === 429) ? login.error : null;

  return (
    <form className="form-stack" onSubmit={submit} noValidate aria-label="Sign in with e-mail and password">
      {throttled ? (
        <div className="inline-alert" data-tone="warning" role="alert">
          <Clock size={16} aria-hidden className="inline-alert-icon" />
          <div className="inline-alert-body">
            <p className="inline-alert-title">Too many sign-in attempts</p>
            <p>
              For your account&apos;s safety, sign-in is paused. Try again in{' '}
              <strong className="tabular" data-testid="login-wait">
                {formatWait(secondsLeft)}
              </strong>
              .
            </p>
          </div>
        </div>
      ) : null}
      <FormError error={error} title="Sign-in failed" />
      <TextField
        label="E-mail"
        error={missing.email}
        type="email"
        name="email"
        autoComplete="username"
        inputMode="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <TextField
        label="Password"
        error={missing.password}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={login.isPending || throttled}
      >
        <LogIn size={15} aria-hidden />
        {login.isPending ? 'Signing in…' : throttled ? `Wait ${formatWait(secondsLeft)}` : 'Sign in'}
      </button>
    </form>
  );
}
