export * from './database.js';
export * from './database-setup.js';
export * from './browser.js';
export * from './oidc-provider.js';
export * from './oidc-login.js';
export * from './fake-webhook-target.js';
export * from './fake-argocd.js';
export * from './fake-argocd-contract.js';
