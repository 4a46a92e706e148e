import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidToken } from '../../../domain/index.js';
import type { HttpMetrics } from '../http-metrics.js';
import { routesFor } from '../routes/define-route.js';

export interface MetricsDependencies {
  readonly metrics: HttpMetrics;
  /** Set on the API listener: only `Authorization: Bearer <METRICS_TOKEN>` is served. Unset on a listener of its own. */
  readonly bearerToken?: string | undefined;
}

const defineMetricsRoute = routesFor<MetricsDependencies>();

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
      '`audit_events_total` by type; the mail outbox metrics; and the default process metrics. Not rate limited.',
      'Served on this port only when `METRICS_TOKEN` is set, and then to that bearer only (`401` otherwise);',
      '`METRICS_PORT` serves it on a listener of its own instead. With neither, this path is `404`.',
    ].join(' '),
    bearer: false,
    rateLimited: false,
    responses: {
      200: {
        description: 'Every metric of this instance',
        content: { 'text/plain': z.string().meta({ examples: ['auth_logins_total{outcome="success"} 42\n'] }) },
        headers: ['Cache-Control'],
      },
      // Not the handler's answer but the router's: on a listener where METRICS_TOKEN is unset, no route is here.
      404: { description: 'METRICS_TOKEN is unset: metrics are not served on this port', content: { 'application/problem+json': undefined } },
    },
    // No bearer, or not the METRICS_TOKEN.
    errors: ['invalid_token'],
    handle: async ({ ctx }, { metrics, bearerToken }) => {
      if (bearerToken !== undefined && !bearerMatches(ctx.get('Authorization'), bearerToken)) {
        throw new InvalidToken();
      }
      const { contentType, body } = await metrics.exposition();
      // A scrape is a reading of this instant: a cache would serve a stale one.
      return { status: 200, type: contentType, body, headers: { 'Cache-Control': 'no-store' } };
    },
  }),
];

/**
 * Compares digests, not the strings: timingSafeEqual needs equal lengths, and a length check of its own would
 * tell an attacker the token's length.
 */
function bearerMatches(authorization: string, token: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}
