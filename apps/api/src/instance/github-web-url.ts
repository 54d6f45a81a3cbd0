// GitHub's web UI for its REST API: https://api.github.com → https://github.com, and GitHub Enterprise
// Server's https://HOST/api/v3 → https://HOST. Any other API (a proxy, a test double) has no known web
// UI, so the app links nowhere rather than somewhere wrong.
export function githubWebUrl(apiUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return null;
  }
  if (url.hostname === 'api.github.com') return 'https://github.com';
  const base = url.pathname.replace(/\/+$/, '');
  if (base.endsWith('/api/v3')) return `${url.origin}${base.slice(0, -'/api/v3'.length)}`;
  return null;
}
