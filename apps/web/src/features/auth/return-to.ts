import { paths } from '../../config/paths';

// Same rule as the server's returnTo: a path on this site. `//evil.example` or `/\evil` would leave it.
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !/^\/(?![/\\])/.test(value)) return paths.board;
  if (value === paths.login || value.startsWith(`${paths.login}?`)) return paths.board;
  if (value === paths.setup || value.startsWith(`${paths.setup}?`)) return paths.board;
  return value;
}

export function loginPathFor(returnTo: string): string {
  const target = safeReturnTo(returnTo);
  return target === paths.board ? paths.login : `${paths.login}?${new URLSearchParams({ returnTo: target })}`;
}

export function ssoLoginHref(returnTo: string): string {
  return `${paths.ssoLogin}?${new URLSearchParams({ returnTo: safeReturnTo(returnTo) })}`;
}
