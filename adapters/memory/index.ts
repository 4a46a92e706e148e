/** `auth-service/adapters/memory`: stores and a limiter that live in the process, for tests and single instances. */
export { InMemoryUserRepository } from './in-memory-user-repository.js';
export { InMemorySessionRepository } from './in-memory-session-repository.js';
export { InMemoryAuditLog } from './in-memory-audit-log.js';
export { InMemoryRateLimiter, type FixedWindowOptions } from './in-memory-rate-limiter.js';
export { InMemoryTotpFactorRepository } from './in-memory-totp-factor-repository.js';
export { InMemoryMfaChallengeStore } from './in-memory-mfa-challenge-store.js';
export { InMemoryUnitOfWork, type UnitOfWorkHooks } from './in-memory-unit-of-work.js';
export { InMemoryOneTimeTokenStore } from './in-memory-one-time-token-store.js';
export { InMemoryMailOutbox } from './in-memory-mail-outbox.js';
export { InMemoryMailer } from './in-memory-mailer.js';
export { InProcessMailWakeUp } from './in-process-mail-wake-up.js';
export { InProcessHousekeepingLock } from './in-process-housekeeping-lock.js';
export { InMemoryPasskeyRepository } from './in-memory-passkey-repository.js';
export { InMemoryWebAuthnChallengeStore } from './in-memory-web-authn-challenge-store.js';
export { InMemoryWebhookDeliveryQueue } from './in-memory-webhook-delivery-queue.js';
export { InMemoryWebhookEndpointRepository } from './in-memory-webhook-endpoint-repository.js';
