import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyProviderStore } from '../../../adapters/kysely/kysely-provider-store.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';
import { providerStoreContract } from '../../contract/provider-store.contract.js';

describe('KyselyProviderStore on PGlite', function () {
  let handle: DatabaseHandle;
  before(async function () {
    handle = await createPgliteDatabase();
    await migrateToLatest(handle.db);
  });
  after(async () => handle?.close());

  // PGlite is one connection in this process: the "other instance" shares it.
  providerStoreContract('KyselyProviderStore (PGlite)', async () => {
    const store = new KyselyProviderStore(handle.db);
    return { store, otherInstance: store, users: new KyselyUserRepository(handle.db), close: async () => {} };
  });
});

describe('KyselyProviderStore on PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    handle = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    other = createPostgresDatabase({ url: scratch.url, onPoolError: () => {} });
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle?.close();
    await other?.close();
    await scratch?.drop();
  });

  providerStoreContract('KyselyProviderStore (PostgreSQL)', async () => ({
    store: new KyselyProviderStore(handle.db),
    otherInstance: new KyselyProviderStore(other.db),
    users: new KyselyUserRepository(handle.db),
    close: async () => {},
  }));
});
