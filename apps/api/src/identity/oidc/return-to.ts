const PROBE_ORIGIN = 'http://flightdeck.invalid';

// A path on this site to send the browser to after sign-in, or null. Beyond the contract's "starts with a
// single /", this refuses what browsers rewrite into another origin: backslashes (`/\evil`) and tabs or
// newlines, which URL parsing strips (`/\t/evil` becomes `//evil`).
export function sameSitePath(value: string): string | null {
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  const url = new URL(value, PROBE_ORIGIN);
  if (url.origin !== PROBE_ORIGIN) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
