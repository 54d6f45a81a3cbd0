export const paths = {
  board: '/',
  login: '/login',
  setup: '/setup',
  tokens: '/settings/tokens',
  password: '/settings/password',
  adminUsers: '/admin/users',
  adminTeams: '/admin/teams',
  adminEnvironments: '/admin/environments',
  adminApprovalPolicies: '/admin/approval-policies',
  approvals: '/approvals',
  audit: '/audit',
  freezes: '/freezes',
  // Not /metrics: that is the Prometheus scrape endpoint.
  deliveryMetrics: '/delivery',
  apiDocs: '/api/docs',
  ssoLogin: '/api/v1/auth/oidc/login',
  auditExport: '/api/v1/audit/export',
} as const;
