import { kyselyMailStoreContracts } from './kysely-mail-stores.js';
import { migratedPglite } from '../../support/pglite-suite.js';

describe('Mail stores on PGlite', function () {
  const pglite = migratedPglite();

  // PGlite is one connection in this process: the "other instance" shares it.
  kyselyMailStoreContracts('PGlite', () => ({ handle: pglite.handle, other: pglite.handle }));
});
