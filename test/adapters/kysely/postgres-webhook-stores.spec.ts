import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';
import { kyselyWebhookStoreContracts } from './kysely-webhook-stores.js';

describe('Webhook stores on PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    handle = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    other = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    await migrateToLatest(handle.db);
  });

  after(async function () {
    await handle?.close();
    await other?.close();
    await scratch?.drop();
  });

  kyselyWebhookStoreContracts('PostgreSQL', () => ({ handle, other }));
});
