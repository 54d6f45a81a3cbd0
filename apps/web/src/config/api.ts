import { createApiClient } from '@flightdeck/contracts';

// Same origin in production (the API serves the SPA) and through the Vite proxy in development.
export const api = createApiClient();
