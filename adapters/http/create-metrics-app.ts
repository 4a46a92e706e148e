import Koa from 'koa';
import type { HttpMetrics } from './http-metrics.js';
import { metricsRoutes } from './routes/metrics-routes.js';

/**
 * The metrics listener's whole application: `GET /metrics` and nothing else. It is reachable by whoever can
 * reach its address (METRICS_HOST, loopback by default), so it asks for no token.
 */
export function createMetricsApp(metrics: HttpMetrics): Koa {
  const app = new Koa();
  app.silent = true;
  const routes = metricsRoutes(metrics);
  app.use(routes.routes()).use(routes.allowedMethods());
  return app;
}
