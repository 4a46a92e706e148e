import Router from '@koa/router';
import Koa from 'koa';
import type { HttpMetrics } from './http-metrics.js';
import { metricsRoutes } from './system/metrics-routes.js';
import { mountRoutes } from './routes/mount-routes.js';

/**
 * The metrics listener's whole application: `GET /metrics` and nothing else. It is reachable by whoever can
 * reach its address (METRICS_HOST, loopback by default), so it asks for no token.
 */
export function createMetricsApp(metrics: HttpMetrics): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router({ sensitive: true, strict: true });
  // The route declares no body: the parser is never reached.
  mountRoutes(router, metricsRoutes, { metrics }, { prefix: '', bodyParser: (_ctx, next) => next() });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
