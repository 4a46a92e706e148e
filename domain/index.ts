export * from './errors.js';
export * from './email.js';
export * from './username.js';
export * from './user-id.js';
export * from './user.js';
export * from './password-policy.js';
export * from './session.js';
export * from './refresh-token.js';
