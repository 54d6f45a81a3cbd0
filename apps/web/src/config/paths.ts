export const paths = {
  board: '/',
  login: '/login',
  setup: '/setup',
  tokens: '/settings/tokens',
  password: '/settings/password',
  adminUsers: '/admin/users',
  adminTeams: '/admin/teams',
  adminEnvironments: '/admin/environments',
  audit: '/audit',
  apiDocs: '/api/docs',
  ssoLogin: '/api/v1/auth/oidc/login',
  auditExport: '/api/v1/audit/export',
} as const;
