/** `auth-service/adapters/kysely`: users and sessions in PostgreSQL (a server through pg, or embedded PGlite). */
export { KyselyUserRepository } from './kysely-user-repository.js';
export { KyselySessionRepository } from './kysely-session-repository.js';
export { KyselyAuditLog } from './kysely-audit-log.js';
export { KyselyTotpFactorRepository } from './kysely-totp-factor-repository.js';
export { KyselyMfaChallengeStore } from './kysely-mfa-challenge-store.js';
export { KyselyPasskeyRepository } from './kysely-passkey-repository.js';
export { KyselyWebAuthnChallengeStore } from './kysely-web-authn-challenge-store.js';
export { KyselyUnitOfWork, type KyselyUnitOfWorkHooks } from './kysely-unit-of-work.js';
export { KyselyOneTimeTokenStore } from './kysely-one-time-token-store.js';
export { KyselyMailOutbox, MAIL_OUTBOX_CHANNEL } from './kysely-mail-outbox.js';
export { PostgresMailListener } from './postgres-mail-listener.js';
export { createPostgresDatabase, type PostgresDatabaseOptions } from './postgres-database.js';
export { createPgliteDatabase, type PgliteDatabaseOptions } from './pglite-database.js';
export type { DatabaseHandle } from './database-handle.js';
export type { Database } from './database.js';
export { migrateDown, migrateToLatest, migrationStatus, type MigrationState } from './migrator.js';
export { KyselyProviderStore } from './kysely-provider-store.js';
export { PostgresHousekeepingLock } from './postgres-housekeeping-lock.js';
