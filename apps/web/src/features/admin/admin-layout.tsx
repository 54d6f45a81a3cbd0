import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { paths } from '../../config/paths';
import { RequirePermission } from '../auth/require-permission';

export function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <RequirePermission permission="admin" what="administration">
      <div className="page">
        <nav className="tabs" aria-label="Administration">
          <NavLink to={paths.adminUsers} className="tab">
            Users
          </NavLink>
          <NavLink to={paths.adminTeams} className="tab">
            Teams
          </NavLink>
          <NavLink to={paths.adminEnvironments} className="tab">
            Environment access
          </NavLink>
          <NavLink to={paths.adminApprovalPolicies} className="tab">
            Approval policies
          </NavLink>
          <NavLink to={paths.adminNotifications} className="tab">
            Notifications
          </NavLink>
          <NavLink to={paths.adminSeverities} className="tab">
            Incident severities
          </NavLink>
        </nav>
        {children}
      </div>
    </RequirePermission>
  );
}
