import type { Redis } from 'ioredis';
import type { Clock } from '../../application/ports/clock.js';
import type { RateLimitDecision, RateLimiter } from '../../application/ports/rate-limiter.js';

export interface RedisRateLimiterOptions {
  /** Events allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Namespace of the counter keys, e.g. `auth:rl:`; instances that share it share the budget. */
  readonly prefix: string;
}

/**
 * Counters outlive their window by this much so that an instance whose clock lags a little still finds the
 * counter the others used, instead of starting a fresh one.
 */
const EXPIRY_GRACE_MS = 1_000;

const COMMAND = 'rateLimitIncrement';

// INCR and PEXPIRE in one script: one round trip, and a crash between them cannot leave a counter that never
// expires.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

interface WithIncrement {
  [COMMAND](key: string, ttlMs: number): Promise<number>;
}

/**
 * Fixed windows aligned to the clock, one counter per key and window, shared by every instance using the same
 * Redis and prefix.
 *
 * Why fixed windows rather than a sliding window or GCRA: one atomic INCR gives an exact budget even under
 * concurrency across instances; the counter and its window end map directly onto `RateLimit-Remaining` and
 * `RateLimit-Reset`; and keys expire by themselves. The cost is that a client can spend up to twice the limit
 * around a window boundary (the end of one window, then the start of the next), which is acceptable for abuse
 * limiting. A sliding log costs memory per request; GCRA smooths bursts but its "remaining" is an estimate.
 *
 * The window index comes from the injected clock, not Redis's, so tests can move time and the answers match
 * `InMemoryRateLimiter` exactly.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRateLimiterOptions,
    private readonly clock: Clock,
  ) {
    // ioredis sends EVALSHA and falls back to EVAL once per connection when the script is not cached.
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: INCREMENT });
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const { limit } = this.options;
    const { counterKey, resetMs } = this.#window(key);
    const redis = this.redis as unknown as WithIncrement;
    const count = Number(await redis[COMMAND](counterKey, resetMs + EXPIRY_GRACE_MS));
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs };
  }

  async peek(key: string): Promise<RateLimitDecision> {
    const { limit } = this.options;
    const { counterKey, resetMs } = this.#window(key);
    const count = Number((await this.redis.get(counterKey)) ?? 0);
    return { allowed: count < limit, limit, remaining: Math.max(0, limit - count), resetMs };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.#window(key).counterKey);
  }

  #window(key: string): { counterKey: string; resetMs: number } {
    const { windowMs, prefix } = this.options;
    const now = this.clock.now().getTime();
    const window = Math.floor(now / windowMs);
    return { counterKey: `${prefix}${key}:${window}`, resetMs: (window + 1) * windowMs - now };
  }
}
