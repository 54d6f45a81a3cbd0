import { ExternalLink } from 'lucide-react';
import { Link, NavLink, Outlet } from 'react-router';
import { paths } from '../../config/paths';
import { ApprovalsNavLink } from '../../features/approvals/approvals-nav-link';
import { INCIDENTS_ROUTE } from '../../features/incidents/incident-paths';
import { useCan } from '../../features/auth/use-auth';
import { UserMenu } from '../../features/auth/user-menu';
import { InstanceBadge } from '../../features/instance/instance-badge';
import { useLiveEvents } from '../../features/live/use-live-events';
import { ToastRegion } from '../../features/notifications/toast-region';
import { ThemeSwitch } from '../../features/theme/theme-switch';
import { Logo } from './logo';

export function AppShell() {
  const canAudit = useCan('audit:read');
  const isAdmin = useCan('admin');
  // Only signed-in screens render the shell, so the stream opens after sign-in and closes on sign-out.
  useLiveEvents();
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
          <NavLink to={paths.freezes} className="nav-link">
            Freezes
          </NavLink>
          <NavLink to={INCIDENTS_ROUTE} className="nav-link">
            Incidents
          </NavLink>
          <ApprovalsNavLink />
          <NavLink to={paths.deliveryMetrics} className="nav-link">
            Metrics
          </NavLink>
          {canAudit ? (
            <NavLink to={paths.audit} className="nav-link">
              Audit
            </NavLink>
          ) : null}
          {isAdmin ? (
            <NavLink to="/admin" className="nav-link">
              Admin
            </NavLink>
          ) : null}
          <a className="nav-link hide-narrow" href={paths.apiDocs} target="_blank" rel="noreferrer">
            API
            <ExternalLink size={12} aria-hidden />
            <span className="sr-only">(opens in a new tab)</span>
          </a>
        </nav>
        <div className="topbar-end">
          <InstanceBadge />
          <span className="hide-narrow">
            <ThemeSwitch />
          </span>
          <UserMenu />
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
      <ToastRegion />
    </div>
  );
}
