/** `auth-service/adapters/prometheus`: the HTTP adapter's metrics in the Prometheus text format. */
export { PrometheusMetrics, type MetricsSources } from './prometheus-metrics.js';
export { PrometheusAuditCounter } from './prometheus-audit-counter.js';
