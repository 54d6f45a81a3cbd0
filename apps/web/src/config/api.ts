import { createApiClient } from '@flightdeck/contracts';

// The CSRF token of the current session, from the last auth state the server sent (see features/auth).
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

// Same origin in production (the API serves the SPA) and through the Vite proxy in development.
// Every state-changing request carries the session's CSRF token; reads never need it.
export const api = createApiClient({
  getHeaders: (endpoint) =>
    endpoint.method === 'GET' || !csrfToken ? undefined : { 'x-csrf-token': csrfToken },
});
