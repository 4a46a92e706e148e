import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { HttpMetrics } from '../http-metrics.js';

export interface MetricsRouteOptions {
  /** Set: only `Authorization: Bearer <token>` is served. Unset: the route is open, for a listener of its own. */
  readonly bearerToken?: string;
}

/** `GET /metrics` in the Prometheus text format. Like health, not rate limited: a scraper must always get in. */
export function metricsRoutes(metrics: HttpMetrics, options: MetricsRouteOptions = {}): Router {
  const router = new Router();
  const authorized = options.bearerToken === undefined ? () => true : bearerMatcher(options.bearerToken);
  router.get('/metrics', async (ctx) => {
    if (!authorized(ctx.get('Authorization'))) {
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.status = 401;
      return;
    }
    const { contentType, body } = await metrics.exposition();
    ctx.set('Content-Type', contentType);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
  return router;
}

/**
 * Compares digests, not the strings: timingSafeEqual needs equal lengths, and a length check of its own would
 * tell an attacker the token's length.
 */
function bearerMatcher(token: string): (authorization: string) => boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}
