import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { App } from './app';
import { createQueryClient } from './config/query-client';
import { applyTheme, readThemePreference } from './features/theme/theme';
import { routes } from './routes';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './features/board/board.css';
import './features/auth/auth.css';
import './features/admin/admin.css';
import './features/audit/audit.css';

// public/theme-init.js already did this before paint; repeat in case it was blocked or cached stale.
applyTheme(readThemePreference());

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing #root');

createRoot(root).render(
  <StrictMode>
    <App router={createBrowserRouter(routes)} queryClient={createQueryClient()} />
  </StrictMode>,
);
