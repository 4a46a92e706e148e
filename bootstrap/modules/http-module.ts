import { ContainerModule } from 'inversify';
import type { BoundedPasswordHasher } from '../../adapters/crypto/bounded-password-hasher.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { buildOpenApiDocument, openApiJson } from '../../adapters/http/openapi/openapi-document.js';
import { docsDependencies } from '../../adapters/http/system/docs-routes.js';
import { jwksDependencies } from '../../adapters/http/system/jwks-routes.js';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import type { Config } from '../config.js';
import type { MailOutbox } from '../../application/index.js';
import { TOKENS } from '../tokens.js';

const READINESS_TIMEOUT_MS = 1_000;

const metricsEnabled = (config: Config): boolean => config.metricsPort !== undefined || config.metricsToken !== undefined;

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
        listMyEvents: await getAsync(TOKENS.ListMyEvents),
        listUsers: await getAsync(TOKENS.ListUsers),
        getUser: await getAsync(TOKENS.GetUser),
        updateUser: await getAsync(TOKENS.UpdateUser),
        deleteUser: await getAsync(TOKENS.DeleteUser),
        listUserSessions: await getAsync(TOKENS.ListUserSessions),
        endUserSessions: await getAsync(TOKENS.EndUserSessions),
        listAuditEvents: await getAsync(TOKENS.ListAuditEvents),
        enrolTotp: await getAsync(TOKENS.EnrolTotp),
        confirmTotp: await getAsync(TOKENS.ConfirmTotp),
        disableTotp: await getAsync(TOKENS.DisableTotp),
        completeMfaLogIn: await getAsync(TOKENS.CompleteMfaLogIn),
        requestVerification: await getAsync(TOKENS.RequestVerification),
        verifyEmail: await getAsync(TOKENS.VerifyEmail),
        requestPasswordReset: await getAsync(TOKENS.RequestPasswordReset),
        resetPassword: await getAsync(TOKENS.ResetPassword),
        revertEmail: await getAsync(TOKENS.RevertEmail),
        passkeys: await getAsync(TOKENS.Passkeys),
        reauthenticate: await getAsync(TOKENS.Reauthenticate),
        resetUserSecondFactors: await getAsync(TOKENS.ResetUserSecondFactors),
        manageWebhooks: await getAsync(TOKENS.ManageWebhooks),
        exportMyData: await getAsync(TOKENS.ExportMyData),
        requireVerifiedEmail: config.mail.requireVerifiedEmail,
        rateLimiter: await getAsync(TOKENS.RateLimiter),
        readinessChecks: [await getAsync(TOKENS.DatabaseReadiness), await getAsync(TOKENS.RateLimiterReadiness)],
        logger: await getAsync(TOKENS.Logger),
        docs: docsDependencies(openApiJson(buildOpenApiDocument(config))),
        jwks: jwksDependencies(signingKeys.jwks),
        isShuttingDown: () => shutdown.shuttingDown,
        // Off when neither METRICS_PORT nor METRICS_TOKEN is set: nothing served, so nothing worth measuring.
        metrics: metricsEnabled(config) ? await getAsync(TOKENS.Metrics) : undefined,
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
