import { Outlet } from 'react-router';
import { InstanceBadge } from '../../features/instance/instance-badge';
import { ToastRegion } from '../../features/notifications/toast-region';
import { ThemeSwitch } from '../../features/theme/theme-switch';
import { Logo } from './logo';

// Sign-in and first-run setup: no navigation, nothing that needs a session.
export function AuthLayout() {
  return (
    <div className="auth-layout">
      <header className="auth-topbar">
        <Logo />
        <div className="topbar-end">
          <InstanceBadge />
          <ThemeSwitch />
        </div>
      </header>
      <main id="main" className="auth-main">
        <Outlet />
      </main>
      <ToastRegion />
    </div>
  );
}
