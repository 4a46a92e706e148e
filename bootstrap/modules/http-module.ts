import { ContainerModule } from 'inversify';
import type { BoundedPasswordHasher } from '../../adapters/crypto/bounded-password-hasher.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { buildOpenApiDocument, openApiJson, serviceRouteTables } from '../../adapters/http/openapi/openapi-document.js';
import { routeGroup } from '../../adapters/http/routes/route-group.js';
import { docsDependencies } from '../../adapters/http/system/docs-routes.js';
import { jwksDependencies } from '../../adapters/http/system/jwks-routes.js';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import type { MailOutbox } from '../../application/index.js';
import { featureRoutes, features } from '../features.js';
import { TOKENS } from '../tokens.js';
import { httpMetrics } from './http-metrics.js';

const READINESS_TIMEOUT_MS = 1_000;

/** The Koa app: each feature's routes with the dependencies its own module binds, and the system routes. */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Metrics).toResolvedValue(
    async (hasher: BoundedPasswordHasher, outbox: MailOutbox, database: DatabaseHandle | undefined) => {
      // Resolved only when metrics are on; prom-client is not even loaded otherwise.
      const { PrometheusMetrics } = await import('../../adapters/prometheus/prometheus-metrics.js');
      const poolStats = database?.poolStats?.bind(database);
      return new PrometheusMetrics({ passwordHasher: () => hasher, databasePool: poolStats, mailOutboxPending: () => outbox.pendingCount() });
    },
    // No DatabaseHandle with DATABASE_URL=memory, and no pool gauges then.
    [TOKENS.BoundedPasswordHasher, TOKENS.MailOutbox, { serviceIdentifier: TOKENS.DatabaseHandle, optional: true }],
  );
  bind(TOKENS.HttpApp).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const shutdown = await getAsync(TOKENS.ShutdownState);
    const signingKeys = await getAsync(TOKENS.SigningKeys);
    const apiRoutes = [];
    for (const { routes } of features) if (routes) apiRoutes.push(routeGroup(routes.table, await getAsync(routes.dependencies)));
    return createHttpApp(
      {
        apiRoutes,
        authenticateUser: await getAsync(TOKENS.AuthenticateUser),
        rateLimiter: await getAsync(TOKENS.RateLimiter),
        readinessChecks: [await getAsync(TOKENS.DatabaseReadiness), await getAsync(TOKENS.RateLimiterReadiness)],
        logger: await getAsync(TOKENS.Logger),
        docs: docsDependencies(openApiJson(buildOpenApiDocument(config, serviceRouteTables(featureRoutes)))),
        jwks: jwksDependencies(signingKeys.jwks),
        isShuttingDown: () => shutdown.shuttingDown,
        metrics: await httpMetrics(getAsync),
        metricsBearerToken: config.metricsToken,
        browserSessions: await getAsync(TOKENS.BrowserSessions),
        pages: await getAsync(TOKENS.Pages),
      },
      {
        trustProxy: config.trustProxy,
        corsOrigins: config.corsOrigins,
        bodyLimitBytes: config.bodyLimitBytes,
        hsts: config.env === 'production',
        readinessTimeoutMs: READINESS_TIMEOUT_MS,
      },
    );
  });
});
