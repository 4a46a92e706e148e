import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import { kyselyMailStoreContracts } from './kysely-mail-stores.js';
import { PGLITE_OPEN_TIMEOUT_MS } from '../../support/pglite-timeout.js';

describe('Mail stores on PGlite', function () {
  let handle: DatabaseHandle;

  before(async function () {
    this.timeout(PGLITE_OPEN_TIMEOUT_MS);
    handle = await createPgliteDatabase();
    await migrateToLatest(handle.db);
  });

  after(async function () {
    await handle?.close();
  });

  // PGlite is one connection in this process: the "other instance" shares it.
  kyselyMailStoreContracts('PGlite', () => ({ handle, other: handle }));
});
