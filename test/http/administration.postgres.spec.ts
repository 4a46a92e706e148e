import { createScratchDatabase, scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer } from '../support/test-server.js';
import { administrationSuite } from './administration.suite.js';

describe('Administration on PostgreSQL', function () {
  // A database per server: the last-superuser tests need a store where nobody else is one.
  const scratches: ScratchDatabase[] = [];

  before(async function () {
    scratches.push(await scratchDatabaseOrSkip(this));
  });
  after(async () => Promise.all(scratches.map((scratch) => scratch.drop())));

  administrationSuite('PostgreSQL store', async (env) => {
    const scratch = await createScratchDatabase();
    scratches.push(scratch);
    return startTestServer({ DATABASE_URL: scratch.url, ...env });
  });
});
