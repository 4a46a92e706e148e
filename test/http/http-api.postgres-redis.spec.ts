import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { REDIS_URL, requireRedis } from '../support/services.js';
import { startTestServer } from '../support/test-server.js';
import { httpApiSuite } from './http-api.suite.js';

describe('HTTP API on PostgreSQL + Redis', function () {
  let scratch: ScratchDatabase | undefined;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    await requireRedis(this);
  });

  after(async () => scratch?.drop());

  httpApiSuite('PostgreSQL store, Redis rate limiter', (env) =>
    startTestServer({ DATABASE_URL: scratch!.url, REDIS_URL, ...env }),
  );
});
