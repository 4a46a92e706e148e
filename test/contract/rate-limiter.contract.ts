import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { RateLimiter } from '../../application/ports/rate-limiter.js';
import { FakeClock } from '../support/fake-clock.js';

export interface RateLimiterWorld {
  readonly limiter: RateLimiter;
  close(): Promise<void>;
}

export type RateLimiterFactory = (
  options: { limit: number; windowMs: number },
  clock: FakeClock,
) => Promise<RateLimiterWorld>;

const MINUTE = 60_000;

/** The behaviour every `RateLimiter` adapter promises: fixed windows aligned to the clock. */
export function rateLimiterContract(name: string, factory: RateLimiterFactory): void {
  describe(`${name} (RateLimiter contract)`, () => {
    let world: RateLimiterWorld | undefined;
    let clock: FakeClock;

    async function limiterWith(limit: number, windowMs = MINUTE): Promise<RateLimiter> {
      world = await factory({ limit, windowMs }, clock);
      return world.limiter;
    }

    async function consumeTimes(limiter: RateLimiter, key: string, times: number): Promise<boolean[]> {
      const allowed = [];
      for (let i = 0; i < times; i += 1) allowed.push((await limiter.consume(key)).allowed);
      return allowed;
    }

    beforeEach(() => {
      // Start mid-window so that window alignment, not the first request, decides when the budget resets.
      clock = new FakeClock('2026-11-24T10:00:15.000Z');
    });

    afterEach(async () => {
      await world?.close();
      world = undefined;
    });

    it('allows exactly `limit` requests in a window, then refuses', async () => {
      const limiter = await limiterWith(3);
      expect(await consumeTimes(limiter, randomUUID(), 5)).to.deep.equal([true, true, true, false, false]);
    });

    it('reports the limit, and a remaining budget that counts down to 0 and stays there', async () => {
      const limiter = await limiterWith(3);
      const key = randomUUID();
      const decisions = [];
      for (let i = 0; i < 5; i += 1) decisions.push(await limiter.consume(key));
      expect(decisions.map((d) => d.remaining)).to.deep.equal([2, 1, 0, 0, 0]);
      expect(decisions.map((d) => d.limit)).to.deep.equal([3, 3, 3, 3, 3]);
    });

    it('reports the time left until the window ends, shrinking as the clock moves', async () => {
      const limiter = await limiterWith(5);
      const key = randomUUID();
      const first = await limiter.consume(key);
      expect(first.resetMs).to.equal(45_000);
      clock.advance(10_000);
      expect((await limiter.consume(key)).resetMs).to.equal(35_000);
      clock.advance(35_000 - 1);
      expect((await limiter.consume(key)).resetMs).to.equal(1);
    });

    it('reports a full window at the very start of one', async () => {
      clock = new FakeClock('2026-11-24T10:00:00.000Z');
      const limiter = await limiterWith(5);
      expect((await limiter.consume(randomUUID())).resetMs).to.equal(MINUTE);
    });

    it('keeps separate budgets for separate keys', async () => {
      const limiter = await limiterWith(2);
      const [a, b] = [randomUUID(), randomUUID()];
      expect(await consumeTimes(limiter, a, 3)).to.deep.equal([true, true, false]);
      expect(await consumeTimes(limiter, b, 2)).to.deep.equal([true, true]);
    });

    it('restores the whole budget when the next window starts, and not a millisecond before', async () => {
      const limiter = await limiterWith(2);
      const key = randomUUID();
      await consumeTimes(limiter, key, 2);
      const refused = await limiter.consume(key);
      expect(refused.allowed).to.equal(false);
      clock.advance(refused.resetMs - 1);
      expect((await limiter.consume(key)).allowed).to.equal(false);
      clock.advance(1);
      const renewed = await limiter.consume(key);
      expect(renewed).to.deep.equal({ allowed: true, limit: 2, remaining: 1, resetMs: MINUTE });
    });

    it('counts refused requests too, so hammering never frees budget within a window', async () => {
      const limiter = await limiterWith(1);
      const key = randomUUID();
      await consumeTimes(limiter, key, 10);
      clock.advance(20_000);
      expect((await limiter.consume(key)).allowed).to.equal(false);
    });

    it('refuses exactly one of `limit + 1` concurrent requests', async () => {
      const limit = 20;
      const limiter = await limiterWith(limit);
      const key = randomUUID();
      const decisions = await Promise.all(Array.from({ length: limit + 1 }, () => limiter.consume(key)));
      expect(decisions.filter((d) => !d.allowed)).to.have.length(1);
      expect(decisions.map((d) => d.remaining).sort((x, y) => x - y)).to.deep.equal([
        0,
        ...Array.from({ length: limit }, (_, i) => i),
      ]);
    });

    it('peeks without counting: the budget it reports is the one the next consume meets', async () => {
      const limiter = await limiterWith(2);
      const key = randomUUID();
      expect(await limiter.peek(key)).to.deep.include({ allowed: true, limit: 2, remaining: 2 });
      await limiter.consume(key);
      expect(await limiter.peek(key)).to.deep.include({ allowed: true, remaining: 1 });
      expect(await limiter.peek(key)).to.deep.include({ allowed: true, remaining: 1 });
      await limiter.consume(key);
      const spent = await limiter.peek(key);
      expect(spent).to.deep.include({ allowed: false, remaining: 0 });
      expect(spent.resetMs).to.equal(45_000);
    });

    it('resets a key to a whole budget, and only that key', async () => {
      const limiter = await limiterWith(1);
      const key = randomUUID();
      const other = randomUUID();
      await limiter.consume(key);
      await limiter.consume(other);
      await limiter.reset(key);
      expect((await limiter.consume(key)).allowed).to.equal(true);
      expect((await limiter.peek(other)).allowed).to.equal(false);
      await limiter.reset(randomUUID());
    });
  });
}
