import type { Permission, TokenScope } from '@flightdeck/contracts';

export const SCOPE_META: Record<TokenScope, { label: string; description: string; needs: Permission }> = {
  read: {
    label: 'read',
    description: 'Read services, releases, deployments and (if your role allows) the audit log.',
    needs: 'catalog:read',
  },
  deploy: {
    label: 'deploy',
    description: 'Register releases, edit services, promote and roll back: what a CI pipeline needs.',
    needs: 'deployments:write',
  },
  approve: {
    label: 'approve',
    description: 'Approve or reject deployments waiting for approval.',
    needs: 'approvals:decide',
  },
  admin: {
    label: 'admin',
    description: 'Everything, including users, teams and access. Avoid for automation.',
    needs: 'admin',
  },
};

export const EXPIRY_OPTIONS = [
  { value: '30', label: '30 days', days: 30 },
  { value: '90', label: '90 days', days: 90 },
  { value: '365', label: '1 year', days: 365 },
  { value: 'never', label: 'Never', days: null },
] as const;
export type ExpiryValue = (typeof EXPIRY_OPTIONS)[number]['value'];
