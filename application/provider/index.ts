export type * from './provider-store.js';
export * from './oauth-client.js';
export * from './manage-oauth-clients.js';
export * from './grants.js';
export * from './grant-created.js';
