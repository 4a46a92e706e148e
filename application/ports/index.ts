export type * from './user-repository.js';
export type * from './password-hasher.js';
export type * from './token-issuer.js';
export type * from './rate-limiter.js';
export type * from './clock.js';
export type * from './session-repository.js';
export type * from './secret-box.js';
export type * from './audit-log.js';
