import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { ServiceUnavailable } from '../../../application/errors.js';
import type { RateLimitDecision, RateLimiter } from '../../../application/ports/rate-limiter.js';
import { FallbackRateLimiter } from '../../../adapters/redis/fallback-rate-limiter.js';
import { InMemoryRateLimiter } from '../../../adapters/memory/in-memory-rate-limiter.js';
import { createRedisClient, redisReady } from '../../../adapters/redis/redis-client.js';
import { RedisRateLimiter } from '../../../adapters/redis/redis-rate-limiter.js';
import { FakeClock } from '../../support/fake-clock.js';
import { skipOrFail } from '../../support/services.js';
import { createThrowawayRedis, until, type ThrowawayRedis } from '../../support/throwaway-services.js';

/** A primary the test switches off and on; it answers with a recognisable `limit`. */
class SwitchablePrimary implements RateLimiter {
  up = true;
  calls = 0;

  async consume(): Promise<RateLimitDecision> {
    this.calls += 1;
    if (!this.up) throw new Error('connection refused');
    return { allowed: true, limit: 1_000, remaining: 999, resetMs: 1 };
  }

  peek(): Promise<RateLimitDecision> {
    return this.consume();
  }

  async reset(): Promise<void> {
    await this.consume();
  }
}

function world(failOpen: boolean) {
  const clock = new FakeClock();
  const primary = new SwitchablePrimary();
  const events: string[] = [];
  const limiter = new FallbackRateLimiter(
    primary,
    new InMemoryRateLimiter({ limit: 5, windowMs: 60_000 }, clock),
    {
      failOpen,
      retryAfterMs: 1_000,
      onPrimaryDown: () => events.push('down'),
      onPrimaryUp: () => events.push('up'),
    },
    clock,
  );
  return { clock, primary, events, limiter };
}

describe('FallbackRateLimiter', () => {
  it('answers from the primary while it is up', async () => {
    const { limiter, events } = world(true);
    expect((await limiter.consume('k')).limit).to.equal(1_000);
    expect(events).to.deep.equal([]);
  });

  it('answers from the fallback when the primary fails, reporting the outage once', async () => {
    const { limiter, primary, events, clock } = world(true);
    primary.up = false;
    for (let i = 0; i < 20; i += 1) {
      expect((await limiter.consume('k')).limit).to.equal(5);
      clock.advance(200);
    }
    expect(events).to.deep.equal(['down']);
  });

  it('leaves a failed primary alone until the back-off ends, then probes it with one request', async () => {
    const { limiter, primary, clock } = world(true);
    primary.up = false;
    await limiter.consume('k');
    await Promise.all(Array.from({ length: 10 }, () => limiter.consume('k')));
    expect(primary.calls).to.equal(1);
    clock.advance(1_000);
    await Promise.all(Array.from({ length: 10 }, () => limiter.consume('k')));
    expect(primary.calls).to.equal(2);
  });

  it('goes back to the primary once it answers again, reporting the recovery once', async () => {
    const { limiter, primary, events, clock } = world(true);
    primary.up = false;
    await limiter.consume('k');
    primary.up = true;
    expect((await limiter.consume('k')).limit, 'still backing off').to.equal(5);
    clock.advance(1_000);
    for (let i = 0; i < 5; i += 1) expect((await limiter.consume('k')).limit).to.equal(1_000);
    expect(events).to.deep.equal(['down', 'up']);
  });

  it('refuses with ServiceUnavailable while the primary is down, when failing closed', async () => {
    const { limiter, primary, events } = world(false);
    primary.up = false;
    for (let i = 0; i < 3; i += 1) {
      const error = await limiter.consume('k').then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceUnavailable);
      expect(error).to.include({ dependency: 'rate_limiter', retryAfterSeconds: 1 });
    }
    expect(events).to.deep.equal(['down']);
  });
});

describe('FallbackRateLimiter over a Redis that goes away and comes back', function () {
  this.timeout(30_000);
  let server: ThrowawayRedis | undefined;
  let redis: Redis | undefined;
  const startServer = () => server!.start();
  const stopServer = () => server!.kill();

  before(async function () {
    try {
      server = await createThrowawayRedis();
      await server.start();
      redis = createRedisClient(server.url, { onError: () => {} });
      await redisReady(redis, 5_000);
    } catch (error) {
      redis?.disconnect();
      await server?.kill();
      skipOrFail(this, 'redis-server', error);
    }
  });

  after(async () => {
    redis?.disconnect();
    await server?.kill();
  });

  it('keeps answering from memory during the outage and returns to the Redis counter after it', async () => {
    const client = redis!;
    const clock = new FakeClock('2026-11-24T10:00:00.000Z');
    const prefix = `test:rl:${randomUUID()}:`;
    const events: string[] = [];
    const options = { limit: 100, windowMs: 3_600_000 };
    const limiter = new FallbackRateLimiter(
      new RedisRateLimiter(client, { ...options, prefix }, clock),
      new InMemoryRateLimiter(options, clock),
      { failOpen: true, onPrimaryDown: () => events.push('down'), onPrimaryUp: () => events.push('up') },
      clock,
    );
    const key = '192.0.2.1';
    const window = () => Math.floor(clock.now().getTime() / options.windowMs);
    const redisCount = async () => Number(await client.get(`${prefix}${key}:${window()}`));

    for (let i = 0; i < 3; i += 1) await limiter.consume(key);
    expect(await redisCount()).to.equal(3);

    await stopServer();
    const started = Date.now();
    const during = [];
    for (let i = 0; i < 10; i += 1) during.push(await limiter.consume(key));
    expect(Date.now() - started, 'no request waits on the dead Redis').to.be.below(1_000);
    expect(during.every((d) => d.allowed)).to.equal(true);
    expect(during.at(-1)!.remaining, 'the in-memory count, fresh at the outage').to.equal(90);
    expect(events).to.deep.equal(['down']);

    await startServer();
    // Each round moves past the back-off so a probe goes out; the client reconnects in the background.
    await until('the primary is used again', async () => {
      clock.advance(1_000);
      await limiter.consume(key);
      return events.includes('up');
    }, 10_000);
    const before = await redisCount();
    await limiter.consume(key);
    expect(await redisCount()).to.equal(before + 1);
    expect(events).to.deep.equal(['down', 'up']);
  });
});
