import type { Middleware } from 'koa';
import type { RateLimiter } from '../../../application/ports/rate-limiter.js';
import type { HttpMetrics } from '../http-metrics.js';
import { problem, sendProblem } from '../problem.js';

export function rateLimitDetail(limit: number, resetSeconds: number): string {
  return `Rate limit of ${limit} requests exceeded, retry in ${resetSeconds} s`;
}

/**
 * Counts every request against its client address before any other work, and says where the client stands
 * in the `RateLimit-*` fields of draft-ietf-httpapi-ratelimit-headers. `ctx.ip` is the socket address unless
 * the app trusts a proxy (see `createHttpApp`).
 */
export function rateLimit(limiter: RateLimiter, metrics?: Pick<HttpMetrics, 'countRateLimitDecision'>): Middleware {
  return async (ctx, next) => {
    // The limiter is the per-IP one: its store namespaces the key (`rl:ip:` in Redis).
    const decision = await limiter.consume(ctx.ip);
    metrics?.countRateLimitDecision(decision.allowed ? 'allowed' : 'refused');
    const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    ctx.set('RateLimit-Limit', String(decision.limit));
    ctx.set('RateLimit-Remaining', String(decision.remaining));
    ctx.set('RateLimit-Reset', String(resetSeconds));
    if (!decision.allowed) {
      ctx.set('Retry-After', String(resetSeconds));
      sendProblem(ctx, problem(429, rateLimitDetail(decision.limit, resetSeconds)));
      return;
    }
    await next();
  };
}
