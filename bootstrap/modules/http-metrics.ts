import type { ServiceIdentifier } from 'inversify';
import type { PrometheusMetrics } from '../../adapters/prometheus/prometheus-metrics.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

/** Off when neither METRICS_PORT nor METRICS_TOKEN is set: nothing served, so nothing worth measuring. */
export const metricsEnabled = (config: Config): boolean => config.metricsPort !== undefined || config.metricsToken !== undefined;

type GetAsync = <T>(token: ServiceIdentifier<T>) => Promise<T>;

/** The metrics the routes count into, or none: prom-client is then never loaded. */
export async function httpMetrics(getAsync: GetAsync): Promise<PrometheusMetrics | undefined> {
  return metricsEnabled(await getAsync(TOKENS.Config)) ? getAsync(TOKENS.Metrics) : undefined;
}
