import { Navigate, type RouteObject } from 'react-router';
import { AppShell } from './components/layout/app-shell';
import { AuthLayout } from './components/layout/auth-layout';
import { paths } from './config/paths';
import { RequireAuth } from './features/auth/require-auth';
import { AdminEnvironmentsPage } from './pages/admin-environments-page';
import { AdminTeamsPage } from './pages/admin-teams-page';
import { AdminUsersPage } from './pages/admin-users-page';
import { AuditPage } from './pages/audit-page';
import { BoardPage } from './pages/board-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { PasswordPage } from './pages/password-page';
import { SetupPage } from './pages/setup-page';
import { TokensPage } from './pages/tokens-page';

export const routes: RouteObject[] = [
  {
    element: <AuthLayout />,
    children: [
      { path: paths.login, element: <LoginPage /> },
      { path: paths.setup, element: <SetupPage /> },
    ],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <BoardPage /> },
          { path: paths.tokens, element: <TokensPage /> },
          { path: paths.password, element: <PasswordPage /> },
          { path: '/admin', element: <Navigate to={paths.adminUsers} replace /> },
          { path: paths.adminUsers, element: <AdminUsersPage /> },
          { path: paths.adminTeams, element: <AdminTeamsPage /> },
          { path: paths.adminEnvironments, element: <AdminEnvironmentsPage /> },
          { path: paths.audit, element: <AuditPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
