import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { AppShell } from './components/layout/app-shell';
import { AuthLayout } from './components/layout/auth-layout';
import { LazyPage } from './components/layout/page-fallback';
import { paths } from './config/paths';
import { RequireAuth } from './features/auth/require-auth';
import { INCIDENT_ROUTE, INCIDENTS_ROUTE } from './features/incidents/incident-paths';
import { DEPLOYMENT_ROUTE, SERVICE_ROUTE, TRAIN_ROUTE } from './features/service/service-paths';
import { BoardPage } from './pages/board-page';
import { LoginPage } from './pages/login-page';
import { SetupPage } from './pages/setup-page';

// The board, sign-in and setup are what a first visit needs; every other page loads its code on demand.
const AdminEnvironmentsPage = lazy(() =>
  import('./pages/admin-environments-page').then((module) => ({ default: module.AdminEnvironmentsPage })),
);
const AdminTeamsPage = lazy(() =>
  import('./pages/admin-teams-page').then((module) => ({ default: module.AdminTeamsPage })),
);
const AdminUsersPage = lazy(() =>
  import('./pages/admin-users-page').then((module) => ({ default: module.AdminUsersPage })),
);
const AdminApprovalPoliciesPage = lazy(() =>
  import('./pages/admin-approval-policies-page').then((module) => ({
    default: module.AdminApprovalPoliciesPage,
  })),
);
const AdminNotificationsPage = lazy(() =>
  import('./pages/admin-notifications-page').then((module) => ({ default: module.AdminNotificationsPage })),
);
const AdminSeveritiesPage = lazy(() =>
  import('./pages/admin-severities-page').then((module) => ({ default: module.AdminSeveritiesPage })),
);
const ApprovalsPage = lazy(() =>
  import('./pages/approvals-page').then((module) => ({ default: module.ApprovalsPage })),
);
const AuditPage = lazy(() => import('./pages/audit-page').then((module) => ({ default: module.AuditPage })));
const MetricsPage = lazy(() =>
  import('./pages/metrics-page').then((module) => ({ default: module.MetricsPage })),
);
const FreezesPage = lazy(() =>
  import('./pages/freezes-page').then((module) => ({ default: module.FreezesPage })),
);
const IncidentsPage = lazy(() =>
  import('./pages/incidents-page').then((module) => ({ default: module.IncidentsPage })),
);
const IncidentPage = lazy(() =>
  import('./pages/incident-page').then((module) => ({ default: module.IncidentPage })),
);
const NotFoundPage = lazy(() =>
  import('./pages/not-found-page').then((module) => ({ default: module.NotFoundPage })),
);
const PasswordPage = lazy(() =>
  import('./pages/password-page').then((module) => ({ default: module.PasswordPage })),
);
const ServicePage = lazy(() =>
  import('./pages/service-page').then((module) => ({ default: module.ServicePage })),
);
const DeploymentPage = lazy(() =>
  import('./pages/deployment-page').then((module) => ({ default: module.DeploymentPage })),
);
const TrainPage = lazy(() => import('./pages/train-page').then((module) => ({ default: module.TrainPage })));
const TokensPage = lazy(() =>
  import('./pages/tokens-page').then((module) => ({ default: module.TokensPage })),
);

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
          { path: SERVICE_ROUTE, element: <LazyPage page={ServicePage} /> },
          { path: DEPLOYMENT_ROUTE, element: <LazyPage page={DeploymentPage} /> },
          { path: TRAIN_ROUTE, element: <LazyPage page={TrainPage} /> },
          { path: paths.tokens, element: <LazyPage page={TokensPage} /> },
          { path: paths.password, element: <LazyPage page={PasswordPage} /> },
          { path: '/admin', element: <Navigate to={paths.adminUsers} replace /> },
          { path: paths.adminUsers, element: <LazyPage page={AdminUsersPage} /> },
          { path: paths.adminTeams, element: <LazyPage page={AdminTeamsPage} /> },
          { path: paths.adminEnvironments, element: <LazyPage page={AdminEnvironmentsPage} /> },
          { path: paths.adminApprovalPolicies, element: <LazyPage page={AdminApprovalPoliciesPage} /> },
          { path: paths.adminNotifications, element: <LazyPage page={AdminNotificationsPage} /> },
          { path: paths.adminSeverities, element: <LazyPage page={AdminSeveritiesPage} /> },
          { path: paths.approvals, element: <LazyPage page={ApprovalsPage} /> },
          { path: paths.audit, element: <LazyPage page={AuditPage} /> },
          { path: paths.freezes, element: <LazyPage page={FreezesPage} /> },
          { path: INCIDENTS_ROUTE, element: <LazyPage page={IncidentsPage} /> },
          { path: INCIDENT_ROUTE, element: <LazyPage page={IncidentPage} /> },
          { path: paths.deliveryMetrics, element: <LazyPage page={MetricsPage} /> },
          { path: '*', element: <LazyPage page={NotFoundPage} /> },
        ],
      },
    ],
  },
];
