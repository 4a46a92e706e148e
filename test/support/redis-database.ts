import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Mocha loads this (`require` in .mocharc*.json) before any spec: unless TEST_REDIS_URL says otherwise, the run
 * claims a Redis logical database of its own (1 to 15; never 0, where a developer's or another service's keys
 * live), points TEST_REDIS_URL at it for services.ts and every server the suites start, and empties it at the end.
 * The claim is a key in that database, set only if absent and expiring after an hour, so runs side by side (or a
 * crashed one) never share or empty each other's database. Without a Redis, nothing is claimed and the suites
 * that need one skip (or fail under CI) as before.
 */
const OWNER_KEY = 'auth-service:test-run';
const runId = `${process.pid}:${randomBytes(4).toString('hex')}`;
let claimed: { url: string; db: number } | undefined;

async function claim(base: string): Promise<typeof claimed> {
  for (let db = 1; db <= 15; db++) {
    const url = new URL(base);
    url.pathname = `/${db}`;
    const client = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, enableOfflineQueue: false });
    try {
      await client.connect();
      // A database holding anything but an expired claim is someone's: leave it alone.
      if ((await client.set(OWNER_KEY, runId, 'EX', 3_600, 'NX')) === 'OK') {
        if ((await client.dbsize()) === 1) return { url: url.toString(), db };
        await client.del(OWNER_KEY);
      }
    } catch {
      // No Redis here (or too few databases): the suites that need one decide whether that is a skip.
      return undefined;
    } finally {
      client.disconnect();
    }
  }
  return undefined;
}

if (process.env.TEST_REDIS_URL === undefined) {
  claimed = await claim('redis://127.0.0.1:6379');
  if (claimed) process.env.TEST_REDIS_URL = claimed.url;
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    if (!claimed) return;
    const client = new Redis(claimed.url, { maxRetriesPerRequest: 0, connectTimeout: 1_000 });
    try {
      // Still ours (not expired and taken over by another run): then everything in it is this run's.
      if ((await client.get(OWNER_KEY)) === runId) await client.flushdb();
    } finally {
      client.disconnect();
    }
  },
};
