import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import { kyselyWebhookStoreContracts } from './kysely-webhook-stores.js';

describe('Webhook stores on PGlite', function () {
  let handle: DatabaseHandle;

  before(async function () {
    handle = await createPgliteDatabase();
    await migrateToLatest(handle.db);
  });

  after(async function () {
    await handle?.close();
  });

  // PGlite is one connection in this process: the "other instance" shares it.
  kyselyWebhookStoreContracts('PGlite', () => ({ handle, other: handle }));
});
