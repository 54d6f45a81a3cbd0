// `/login?error=<code>` after the server's OIDC callback failed. Unknown codes get the generic line.
const SSO_ERROR_MESSAGES: Record<string, string> = {
  sso_failed:
    'Single sign-on did not complete. Try again; if it keeps failing, ask your Flightdeck admin to check the identity provider settings.',
  sso_denied:
    'Your identity provider did not let you in, or the sign-in was cancelled. If you expected access, ask your Flightdeck admin.',
  sso_state_mismatch:
    'The sign-in took too long or was started in another tab or browser. Start it again from this page.',
  sso_disabled: 'Single sign-on is not turned on for this Flightdeck.',
  sso_user_disabled: 'Your Flightdeck account is disabled. Ask a Flightdeck admin to enable it.',
  user_disabled: 'Your Flightdeck account is disabled. Ask a Flightdeck admin to enable it.',
  sso_email_unverified:
    'Your identity provider has not verified your e-mail address, so Flightdeck cannot match it to an account.',
  sso_no_account: 'There is no Flightdeck account for you yet. Ask a Flightdeck admin to create one.',
};

export function describeSsoError(code: string): string {
  return (
    SSO_ERROR_MESSAGES[code] ??
    'Signing in with single sign-on did not work. Try again, or ask your Flightdeck admin if it keeps failing.'
  );
}
