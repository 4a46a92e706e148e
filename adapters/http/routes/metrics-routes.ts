import Router from '@koa/router';
import type { HttpMetrics } from '../http-metrics.js';

/** `GET /metrics` in the Prometheus text format. Like health, not rate limited: a scraper must always get in. */
export function metricsRoutes(metrics: HttpMetrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const { contentType, body } = await metrics.exposition();
    ctx.set('Content-Type', contentType);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
  return router;
}
