export * from './server.js';
export * from './state.js';
export * from './routes.js';
export * from './webhooks.js';
export * from './contract.js';
export * from './actions.js';
export * from './compare.js';
export * from './deployments.js';
