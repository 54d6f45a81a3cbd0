import type { DriverKind, TierKind } from '@flightdeck/contracts';

export const TIER_LABEL: Record<TierKind, string> = {
  development: 'Development',
  staging: 'Staging',
  production: 'Production',
};

export const DRIVER_LABEL: Record<DriverKind, string> = {
  sandbox: 'Sandbox',
  record: 'Recorded',
  webhook: 'Webhook',
  argocd: 'Argo CD',
  github_actions: 'GitHub Actions',
};
