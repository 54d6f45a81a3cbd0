import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const api = 'http://localhost:3000';

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
