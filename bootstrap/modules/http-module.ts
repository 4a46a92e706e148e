import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { BoundedPasswordHasher } from '../../adapters/crypto/bounded-password-hasher.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { buildOpenApiDocument } from '../../adapters/http/openapi/openapi-document.js';
import { docsRoutes } from '../../adapters/http/routes/docs-routes.js';
import type { ReadinessCheck } from '../../adapters/http/routes/health-routes.js';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { PrometheusMetrics } from '../../adapters/prometheus/prometheus-metrics.js';
import type {
  AuthenticateUser,
  DeleteCurrentUser,
  LogIn,
  RateLimiter,
  RegisterUser,
  UpdateCurrentUser,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { TOKENS, type ShutdownState } from '../tokens.js';

const READINESS_TIMEOUT_MS = 1_000;

export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Metrics).toResolvedValue(
    (hasher: BoundedPasswordHasher, database: DatabaseHandle | undefined) => {
      const poolStats = database?.poolStats?.bind(database);
      return new PrometheusMetrics({ passwordHasher: () => hasher, databasePool: poolStats });
    },
    // No DatabaseHandle with DATABASE_URL=memory, and no pool gauges then.
    [TOKENS.BoundedPasswordHasher, { serviceIdentifier: TOKENS.DatabaseHandle, optional: true }],
  );
  bind(TOKENS.HttpApp).toResolvedValue(
    (
      config: Config,
      logger: Logger,
      shutdown: ShutdownState,
      registerUser: RegisterUser,
      logIn: LogIn,
      authenticateUser: AuthenticateUser,
      updateCurrentUser: UpdateCurrentUser,
      deleteCurrentUser: DeleteCurrentUser,
      rateLimiter: RateLimiter,
      database: ReadinessCheck,
      rateLimitStore: ReadinessCheck,
      metrics: PrometheusMetrics,
    ) =>
      createHttpApp(
        {
          registerUser,
          logIn,
          authenticateUser,
          updateCurrentUser,
          deleteCurrentUser,
          rateLimiter,
          readinessChecks: [database, rateLimitStore],
          logger,
          extraRoutes: [
            docsRoutes(buildOpenApiDocument({ rateLimitPerMinute: config.rateLimitPerMinute, accessTokenTtlSeconds: config.accessTokenTtlSeconds })),
          ],
          isShuttingDown: () => shutdown.shuttingDown,
          metrics,
        },
        {
          trustProxy: config.trustProxy,
          corsOrigins: config.corsOrigins,
          bodyLimitBytes: config.bodyLimitBytes,
          hsts: config.env === 'production',
          readinessTimeoutMs: READINESS_TIMEOUT_MS,
        },
      ),
    [
      TOKENS.Config,
      TOKENS.Logger,
      TOKENS.ShutdownState,
      TOKENS.RegisterUser,
      TOKENS.LogIn,
      TOKENS.AuthenticateUser,
      TOKENS.UpdateCurrentUser,
      TOKENS.DeleteCurrentUser,
      TOKENS.RateLimiter,
      TOKENS.DatabaseReadiness,
      TOKENS.RateLimiterReadiness,
      TOKENS.Metrics,
    ],
  );
});
