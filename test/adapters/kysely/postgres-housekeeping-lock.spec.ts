import { createPostgresDatabase } from '../../../adapters/kysely/postgres-database.js';
import { PostgresHousekeepingLock } from '../../../adapters/kysely/postgres-housekeeping-lock.js';
import { housekeepingLockContract } from '../../contract/housekeeping-lock.contract.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../../support/scratch-postgres.js';

describe('PostgresHousekeepingLock', function () {
  let scratch: ScratchDatabase | undefined;
  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
  });
  after(async () => scratch?.drop());

  // Two pools on one database: two instances of the service.
  housekeepingLockContract('PostgresHousekeepingLock', async () => {
    const one = createPostgresDatabase({ url: scratch!.url, onPoolError: () => {} });
    const two = createPostgresDatabase({ url: scratch!.url, onPoolError: () => {} });
    return {
      lock: new PostgresHousekeepingLock(one.db),
      otherInstance: new PostgresHousekeepingLock(two.db),
      async close() {
        await one.close();
        await two.close();
      },
    };
  });
});
