import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { migrateToLatest } from '../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../adapters/kysely/pglite-database.js';
import { PGLITE_OPEN_TIMEOUT_MS } from './pglite-timeout.js';

/**
 * A migrated in-memory PGlite for the enclosing `describe`: opened before its tests (starting PGlite takes seconds,
 * so they share it; contracts keep their tests apart), closed after. Read `.handle` inside a test or hook.
 */
export function migratedPglite(): { readonly handle: DatabaseHandle } {
  let handle: DatabaseHandle | undefined;
  before(async function () {
    this.timeout(PGLITE_OPEN_TIMEOUT_MS);
    handle = await createPgliteDatabase();
    await migrateToLatest(handle.db);
  });
  after(async function () {
    await handle?.close();
  });
  return {
    get handle() {
      if (!handle) throw new Error('PGlite is not open yet: read .handle inside a test or hook');
      return handle;
    },
  };
}
