import { z } from 'zod';
import type { HttpMetrics } from '../http-metrics.js';
import { routesFor } from './define-route.js';

const defineMetricsRoute = routesFor<HttpMetrics>();

/** `GET /metrics` in the Prometheus text format. Like health, not rate limited: a scraper must always get in. */
export const metricsRoutes = [
  defineMetricsRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'health',
    summary: 'Prometheus metrics',
    description: [
      'The Prometheus text exposition format 0.0.4: `http_request_duration_seconds` by method, matched route and status;',
      '`auth_logins_total` by outcome; `rate_limit_decisions_total` by decision; `password_hash_queue_depth` and',
      '`password_hash_in_progress`; `db_pool_connections_in_use` and `db_pool_waiting_requests` on PostgreSQL;',
      'and the default process metrics. Not rate limited: expose it to the scraper only, not to the internet.',
    ].join(' '),
    bearer: false,
    rateLimited: false,
    noStore: true,
    responses: {
      200: { description: 'Every metric of this instance', content: { 'text/plain': z.string().meta({ examples: ['auth_logins_total{outcome="success"} 42\n'] }) } },
    },
    handle: async (_request, metrics) => {
      const { contentType, body } = await metrics.exposition();
      return { status: 200, type: contentType, body };
    },
  }),
];
