import type { Middleware } from 'koa';
import type { HttpMetrics } from '../http-metrics.js';

/** The route label of a request no route matched (unknown path, or refused by the rate limiter before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Outside the request log and the error handler, so it times nearly the whole request and sees the status the
 * error handler settled on. One histogram observation per request and nothing else.
 */
export function requestMetrics(metrics: HttpMetrics): Middleware {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? UNMATCHED_ROUTE;
      metrics.observeRequest(ctx.method, route, ctx.status, Number(process.hrtime.bigint() - start) / 1e9);
    }
  };
}
