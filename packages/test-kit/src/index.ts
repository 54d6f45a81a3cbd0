export * from './database.js';
export * from './database-setup.js';
export * from './browser.js';
