import { ExternalLink } from 'lucide-react';
import { Link, NavLink, Outlet } from 'react-router';
import { paths } from '../../config/paths';
import { InstanceBadge } from '../../features/instance/instance-badge';
import { ToastRegion } from '../../features/notifications/toast-region';
import { ThemeSwitch } from '../../features/theme/theme-switch';
import { Logo } from './logo';

export function AppShell() {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={paths.board} className="topbar-brand" aria-label="Flightdeck home">
          <Logo />
        </Link>
        <nav className="topbar-nav" aria-label="Primary">
          <NavLink to={paths.board} end className="nav-link">
            Board
          </NavLink>
          <a className="nav-link" href={paths.apiDocs} target="_blank" rel="noreferrer">
            API
            <ExternalLink size={12} aria-hidden />
            <span className="sr-only">(opens in a new tab)</span>
          </a>
        </nav>
        <div className="topbar-end">
          <InstanceBadge />
          <ThemeSwitch />
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
      <ToastRegion />
    </div>
  );
}
