import { ContainerModule } from 'inversify';
import type { BoundedPasswordHasher } from '../../adapters/crypto/bounded-password-hasher.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { buildOpenApiDocument } from '../../adapters/http/openapi/openapi-document.js';
import { docsRoutes } from '../../adapters/http/routes/docs-routes.js';
import { jwksRoutes } from '../../adapters/http/routes/jwks-routes.js';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { PrometheusMetrics } from '../../adapters/prometheus/prometheus-metrics.js';
import type { MailOutbox } from '../../application/index.js';
import { TOKENS } from '../tokens.js';

const READINESS_TIMEOUT_MS = 1_000;

export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Metrics).toResolvedValue(
    (hasher: BoundedPasswordHasher, outbox: MailOutbox, database: DatabaseHandle | undefined) => {
      const poolStats = database?.poolStats?.bind(database);
      return new PrometheusMetrics({ passwordHasher: () => hasher, databasePool: poolStats, mailOutboxPending: () => outbox.pendingCount() });
    },
    // No DatabaseHandle with DATABASE_URL=memory, and no pool gauges then.
    [TOKENS.BoundedPasswordHasher, TOKENS.MailOutbox, { serviceIdentifier: TOKENS.DatabaseHandle, optional: true }],
  );
  // Many dependencies: resolved by name rather than by position, so adding one cannot shift the others.
  bind(TOKENS.HttpApp).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const shutdown = await getAsync(TOKENS.ShutdownState);
    const signingKeys = await getAsync(TOKENS.SigningKeys);
    return createHttpApp(
      {
        registerUser: await getAsync(TOKENS.RegisterUser),
        logIn: await getAsync(TOKENS.LogIn),
        refreshSession: await getAsync(TOKENS.RefreshSession),
        logOut: await getAsync(TOKENS.LogOut),
        listSessions: await getAsync(TOKENS.ListSessions),
        endSession: await getAsync(TOKENS.EndSession),
        authenticateUser: await getAsync(TOKENS.AuthenticateUser),
        updateCurrentUser: await getAsync(TOKENS.UpdateCurrentUser),
        deleteCurrentUser: await getAsync(TOKENS.DeleteCurrentUser),
        rateLimiter: await getAsync(TOKENS.RateLimiter),
        readinessChecks: [await getAsync(TOKENS.DatabaseReadiness), await getAsync(TOKENS.RateLimiterReadiness)],
        logger: await getAsync(TOKENS.Logger),
        extraRoutes: [
          docsRoutes(buildOpenApiDocument({ rateLimitPerMinute: config.rateLimitPerMinute, accessTokenTtlSeconds: config.accessTokenTtlSeconds })),
          jwksRoutes(signingKeys.jwks),
        ],
        isShuttingDown: () => shutdown.shuttingDown,
        metrics: await getAsync(TOKENS.Metrics),
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
