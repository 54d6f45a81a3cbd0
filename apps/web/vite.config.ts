import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Point the dev server at another API, e.g. FLIGHTDECK_API_URL=http://localhost:3100 pnpm dev.
const api = process.env.FLIGHTDECK_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['flightdeck-source', ...defaultClientConditions] },
  server: {
    port: 5173,
    proxy: { '/api': api, '/health': api, '/metrics': api },
  },
  preview: {
    proxy: { '/api': api, '/health': api, '/metrics': api },
  },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
});
