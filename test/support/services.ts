import type { Context } from 'mocha';

/**
 * Suites that need a real PostgreSQL or Redis call these in `before`. In CI (`CI=true`) a missing server is a
 * failure, never a skip; elsewhere the suite is marked pending with the reason, so nothing passes silently.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function skipOrFail(context: Context, what: string, error: unknown): void {
  const reason = `${what} is not reachable (${error instanceof Error ? error.message : String(error)})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`);
  console.warn(`  pending: ${reason}`);
  context.skip();
}

/** For a suite's `before`: passes when Redis answers a PING, otherwise skips or fails as `skipOrFail` says. */
export async function requireRedis(context: Context): Promise<void> {
  const { Redis } = await import('ioredis');
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    skipOrFail(context, 'Redis', error);
  } finally {
    probe.disconnect();
  }
}
