import { Redis } from 'ioredis';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-postgres.js';
import { REDIS_URL, skipOrFail } from '../support/services.js';
import { startTestServer } from '../support/test-server.js';
import { httpApiSuite } from './http-api.suite.js';

describe('HTTP API on PostgreSQL + Redis', function () {
  let scratch: ScratchDatabase | undefined;

  before(async function () {
    try {
      scratch = await createScratchDatabase();
    } catch (error) {
      skipOrFail(this, 'PostgreSQL', error);
    }
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      skipOrFail(this, 'Redis', error);
    } finally {
      probe.disconnect();
    }
  });

  after(async () => scratch?.drop());

  httpApiSuite('PostgreSQL store, Redis rate limiter', (env) =>
    startTestServer({ DATABASE_URL: scratch!.url, REDIS_URL, ...env }),
  );
});
