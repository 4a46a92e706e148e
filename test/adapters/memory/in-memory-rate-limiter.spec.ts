import { expect } from 'chai';
import { InMemoryRateLimiter } from '../../../adapters/memory/in-memory-rate-limiter.js';
import { FakeClock } from '../../support/fake-clock.js';
import { rateLimiterContract } from '../../contract/rate-limiter.contract.js';

rateLimiterContract('InMemoryRateLimiter', async (options, clock) => ({
  limiter: new InMemoryRateLimiter(options, clock),
  close: async () => {},
}));

describe('InMemoryRateLimiter', () => {
  it('drops the counters of past windows, so memory holds the keys of one window only', async () => {
    const clock = new FakeClock('2026-11-24T10:00:00.000Z');
    const limiter = new InMemoryRateLimiter({ limit: 1, windowMs: 1_000 }, clock);
    for (let window = 0; window < 100; window += 1) {
      for (let key = 0; key < 10; key += 1) await limiter.consume(`${window}:${key}`);
      clock.advance(1_000);
    }
    expect(limiter.trackedKeys).to.equal(10);
    await limiter.consume('0:0');
    expect(limiter.trackedKeys).to.equal(1);
  });
});
