import type { Clock } from '../../application/ports/clock.js';
import type { RateLimitDecision, RateLimiter } from '../../application/ports/rate-limiter.js';

export interface FixedWindowOptions {
  /** Events allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

interface Counter {
  window: number;
  count: number;
}

/**
 * Fixed windows aligned to the clock (window = floor(now / windowMs)), the same algorithm as `RedisRateLimiter`
 * so both give the same answers; see that class for why fixed windows. Counters of past windows are dropped
 * lazily, in one sweep when a new window starts, so memory stays bounded by the keys seen in about one window.
 */
export class InMemoryRateLimiter implements RateLimiter {
  readonly #counters = new Map<string, Counter>();
  #sweptWindow = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: FixedWindowOptions,
    private readonly clock: Clock,
  ) {}

  async consume(key: string): Promise<RateLimitDecision> {
    const { limit, windowMs } = this.options;
    const now = this.clock.now().getTime();
    const window = Math.floor(now / windowMs);
    this.#sweep(window);
    let counter = this.#counters.get(key);
    if (counter?.window !== window) {
      counter = { window, count: 0 };
      this.#counters.set(key, counter);
    }
    counter.count += 1;
    return {
      allowed: counter.count <= limit,
      limit,
      remaining: Math.max(0, limit - counter.count),
      resetMs: (window + 1) * windowMs - now,
    };
  }

  async peek(key: string): Promise<RateLimitDecision> {
    const { limit, windowMs } = this.options;
    const now = this.clock.now().getTime();
    const window = Math.floor(now / windowMs);
    const counter = this.#counters.get(key);
    const count = counter?.window === window ? counter.count : 0;
    return { allowed: count < limit, limit, remaining: Math.max(0, limit - count), resetMs: (window + 1) * windowMs - now };
  }

  async reset(key: string): Promise<void> {
    this.#counters.delete(key);
  }

  /** Keys with a live counter: what this limiter holds in memory, for metrics and tests. */
  get trackedKeys(): number {
    return this.#counters.size;
  }

  #sweep(window: number): void {
    if (window <= this.#sweptWindow) return;
    this.#sweptWindow = window;
    for (const [key, counter] of this.#counters) if (counter.window < window) this.#counters.delete(key);
  }
}
