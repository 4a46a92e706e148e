import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { KyselyMfaChallengeStore } from '../../adapters/kysely/kysely-mfa-challenge-store.js';
import { KyselyAuditLog } from '../../adapters/kysely/kysely-audit-log.js';
import { KyselySessionRepository } from '../../adapters/kysely/kysely-session-repository.js';
import { KyselyTotpFactorRepository } from '../../adapters/kysely/kysely-totp-factor-repository.js';
import { KyselyUserRepository } from '../../adapters/kysely/kysely-user-repository.js';
import { migrateToLatest } from '../../adapters/kysely/migrator.js';
import { InMemoryMfaChallengeStore } from '../../adapters/memory/in-memory-mfa-challenge-store.js';
import { InMemoryAuditLog } from '../../adapters/memory/in-memory-audit-log.js';
import { InMemoryTotpFactorRepository } from '../../adapters/memory/in-memory-totp-factor-repository.js';
import { KyselyMailOutbox } from '../../adapters/kysely/kysely-mail-outbox.js';
import { KyselyOneTimeTokenStore } from '../../adapters/kysely/kysely-one-time-token-store.js';
import { KyselyUnitOfWork } from '../../adapters/kysely/kysely-unit-of-work.js';
import { InMemoryMailOutbox } from '../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemorySessionRepository } from '../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUnitOfWork } from '../../adapters/memory/in-memory-unit-of-work.js';
import { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import { InProcessHousekeepingLock } from '../../adapters/memory/in-process-housekeeping-lock.js';
import { PostgresHousekeepingLock } from '../../adapters/kysely/postgres-housekeeping-lock.js';
import { KyselyWebhookDeliveryQueue } from '../../adapters/kysely/kysely-webhook-delivery-queue.js';
import { KyselyWebhookEndpointRepository } from '../../adapters/kysely/kysely-webhook-endpoint-repository.js';
import { InMemoryWebhookDeliveryQueue } from '../../adapters/memory/in-memory-webhook-delivery-queue.js';
import { InMemoryWebhookEndpointRepository } from '../../adapters/memory/in-memory-webhook-endpoint-repository.js';
import { WebhookFanOut, type MailWakeUp } from '../../application/index.js';
import type { Config } from '../config.js';
import { openDatabase } from '../database.js';
import { TOKENS } from '../tokens.js';

/** `DATABASE_URL=memory`: users, sessions and their history vanish with the process. */
export const memoryUserStoreModule = new ContainerModule(({ bind }) => {
  const users = new InMemoryUserRepository();
  const webhookDeliveries = new InMemoryWebhookDeliveryQueue();
  const stores = {
    users,
    sessions: new InMemorySessionRepository(users),
    oneTimeTokens: new InMemoryOneTimeTokenStore(),
    outbox: new InMemoryMailOutbox(),
    audit: new InMemoryAuditLog(),
    webhookDeliveries,
    webhookEndpoints: new InMemoryWebhookEndpointRepository(webhookDeliveries),
  };
  bind(TOKENS.UserRepository).toConstantValue(users);
  bind(TOKENS.SessionRepository).toConstantValue(stores.sessions);
  bind(TOKENS.OneTimeTokenStore).toConstantValue(stores.oneTimeTokens);
  bind(TOKENS.MailOutbox).toConstantValue(stores.outbox);
  // Events recorded outside a unit of work queue their webhook deliveries right after, as they are written.
  bind(TOKENS.AuditLog).toResolvedValue((wakeUp: MailWakeUp) => new WebhookFanOut(stores.audit, stores.webhookEndpoints, stores.webhookDeliveries, () => wakeUp.wake()), [TOKENS.WebhookWakeUp]);
  bind(TOKENS.WebhookEndpointRepository).toConstantValue(stores.webhookEndpoints);
  bind(TOKENS.WebhookDeliveryQueue).toConstantValue(stores.webhookDeliveries);
  bind(TOKENS.TotpFactorRepository).toConstantValue(new InMemoryTotpFactorRepository(users));
  bind(TOKENS.MfaChallengeStore).toConstantValue(new InMemoryMfaChallengeStore());
  bind(TOKENS.UnitOfWork).toResolvedValue(
    (wakeUp: MailWakeUp, webhooks: MailWakeUp) => new InMemoryUnitOfWork(stores, { onMailCommitted: () => wakeUp.wake(), onWebhooksCommitted: () => webhooks.wake() }),
    [TOKENS.MailWakeUp, TOKENS.WebhookWakeUp],
  );
  bind(TOKENS.DatabaseReadiness).toConstantValue({ name: 'database', check: async () => {} });
  bind(TOKENS.HousekeepingLock).toConstantValue(new InProcessHousekeepingLock());
});

/** PostgreSQL, or PGlite (the same engine, embedded) when no server is named: one repository, one schema. */
export const kyselyUserStoreModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.DatabaseHandle)
    .toResolvedValue(
      async (config: Config, logger: Logger) => {
        if (config.database.kind === 'memory') throw new Error('kyselyUserStoreModule needs a database');
        const handle = await openDatabase(config.database, logger);
        if (config.migrateOnStart) {
          const applied = await migrateToLatest(handle.db);
          if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
        }
        return handle;
      },
      [TOKENS.Config, TOKENS.Logger],
    )
    .onDeactivation((handle) => handle.close());
  bind(TOKENS.UserRepository).toResolvedValue((handle: DatabaseHandle) => new KyselyUserRepository(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.SessionRepository).toResolvedValue((handle: DatabaseHandle) => new KyselySessionRepository(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.TotpFactorRepository).toResolvedValue((handle: DatabaseHandle) => new KyselyTotpFactorRepository(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.MfaChallengeStore).toResolvedValue((handle: DatabaseHandle) => new KyselyMfaChallengeStore(handle.db), [TOKENS.DatabaseHandle]);
  // Events recorded outside a unit of work queue their webhook deliveries right after, as they are written.
  bind(TOKENS.AuditLog).toResolvedValue(
    (handle: DatabaseHandle, wakeUp: MailWakeUp) =>
      new WebhookFanOut(new KyselyAuditLog(handle.db), new KyselyWebhookEndpointRepository(handle.db), new KyselyWebhookDeliveryQueue(handle.db), () => wakeUp.wake()),
    [TOKENS.DatabaseHandle, TOKENS.WebhookWakeUp],
  );
  bind(TOKENS.WebhookEndpointRepository).toResolvedValue((handle: DatabaseHandle) => new KyselyWebhookEndpointRepository(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.WebhookDeliveryQueue).toResolvedValue((handle: DatabaseHandle) => new KyselyWebhookDeliveryQueue(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.OneTimeTokenStore).toResolvedValue((handle: DatabaseHandle) => new KyselyOneTimeTokenStore(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.MailOutbox).toResolvedValue((handle: DatabaseHandle) => new KyselyMailOutbox(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.UnitOfWork).toResolvedValue(
    (handle: DatabaseHandle, wakeUp: MailWakeUp, webhooks: MailWakeUp) =>
      new KyselyUnitOfWork(handle.db, { onMailCommitted: () => wakeUp.wake(), onWebhooksCommitted: () => webhooks.wake() }),
    [TOKENS.DatabaseHandle, TOKENS.MailWakeUp, TOKENS.WebhookWakeUp],
  );
  bind(TOKENS.DatabaseReadiness).toResolvedValue((handle: DatabaseHandle) => ({ name: 'database', check: () => handle.ping() }), [
    TOKENS.DatabaseHandle,
  ]);
  // PGlite's data directory is held by one process: a lock in it is enough. PostgreSQL is shared by instances.
  bind(TOKENS.HousekeepingLock).toResolvedValue(
    (config: Config, handle: DatabaseHandle) =>
      config.database.kind === 'postgres' ? new PostgresHousekeepingLock(handle.db) : new InProcessHousekeepingLock(),
    [TOKENS.Config, TOKENS.DatabaseHandle],
  );
});
