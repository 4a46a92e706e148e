import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { createRedisClient, redisReady } from '../../../adapters/redis/redis-client.js';
import { RedisRateLimiter } from '../../../adapters/redis/redis-rate-limiter.js';
import { rateLimiterContract } from '../../contract/rate-limiter.contract.js';
import { FakeClock } from '../../support/fake-clock.js';
import { REDIS_URL, skipOrFail } from '../../support/services.js';
import { eventually } from '../../support/eventually.js';

const ignore = () => {};

async function connect(): Promise<Redis> {
  const client = createRedisClient(REDIS_URL, { onError: ignore });
  try {
    await redisReady(client, 2_000);
    return client;
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

describe('RedisRateLimiter', function () {
  let redis: Redis;

  before(async function () {
    try {
      redis = await connect();
    } catch (error) {
      skipOrFail(this, 'Redis', error);
    }
  });

  after(() => redis?.disconnect());

  const prefix = () => `test:rl:${randomUUID()}:`;

  rateLimiterContract('RedisRateLimiter', async (options, clock) => ({
    limiter: new RedisRateLimiter(redis, { ...options, prefix: prefix() }, clock),
    close: async () => {},
  }));

  it('leaves counters that expire by themselves, shortly after their window ends', async () => {
    const clock = new FakeClock('2026-11-24T10:00:15.000Z');
    const keyPrefix = prefix();
    const limiter = new RedisRateLimiter(redis, { limit: 5, windowMs: 60_000, prefix: keyPrefix }, clock);
    const { resetMs } = await limiter.consume('203.0.113.7');
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys).to.have.length(1);
    const ttl = await redis.pttl(keys[0]!);
    expect(ttl).to.be.greaterThan(resetMs).and.at.most(resetMs + 1_000);
  });

  it('shares one exact budget between instances using the same prefix', async () => {
    const other = await connect();
    try {
      const clock = new FakeClock();
      const options = { limit: 60, windowMs: 60_000, prefix: prefix() };
      const limiters = [new RedisRateLimiter(redis, options, clock), new RedisRateLimiter(other, options, clock)];
      const decisions = await Promise.all(
        Array.from({ length: 61 }, (_, i) => limiters[i % 2]!.consume('198.51.100.1')),
      );
      expect(decisions.filter((d) => !d.allowed)).to.have.length(1);
    } finally {
      other.disconnect();
    }
  });
});

describe('createRedisClient', () => {
  it('refuses commands at once while Redis is unreachable, and reports the errors instead of throwing', async () => {
    const errors: Error[] = [];
    // Port 1 on loopback: nothing listens there, the connection is refused immediately.
    const client = createRedisClient('redis://127.0.0.1:1', { onError: (error) => errors.push(error) });
    try {
      const failure = await client.incr('anything').then(() => undefined, (error: unknown) => error);
      expect(failure).to.be.instanceOf(Error);
      // Refused, not queued until a connection that never comes: no offline queue, whatever the time it took.
      expect((failure as Error).message).to.match(/enableOfflineQueue/);
      await eventually('the connection error reported', async () => errors.length > 0);
    } finally {
      client.disconnect();
    }
  });
});
