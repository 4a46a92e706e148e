import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { withDatabaseDeadline } from '../adapters/kysely/database-deadline.js';
import { createMetricsApp } from '../adapters/http/create-metrics-app.js';
import type { UserRepository } from '../application/index.js';
import type { Config } from './config.js';
import { createContainer } from './container.js';
import { ensureFirstSuperuser } from './first-superuser.js';
import { TOKENS } from './tokens.js';

/** How often each instance deletes long-ended sessions; every instance may (the SQL store lets one at a time). */
const PURGE_INTERVAL_MS = 60 * 60_000;

export interface RunningServer {
  readonly url: string;
  /** The metrics listener's address when METRICS_PORT is set. */
  readonly metricsUrl: string | undefined;
  /** The store the service runs on, for operations no route offers (deactivating an account). */
  readonly userRepository: UserRepository;
  /** Readiness turns 503, no new connections, in-flight requests finish (bounded), then stores close. */
  close(): Promise<void>;
}

/**
 * `inspect` sees the composition root once it is built; only tests use it, to read what no route shows (the
 * audit log, the metrics registry). Callers that run the service get the narrow RunningServer.
 */
export async function startServer(config: Config, logger: Logger, inspect?: (container: Container) => void): Promise<RunningServer> {
  const container = await createContainer(config, logger);
  inspect?.(container);
  const app = await container.getAsync(TOKENS.HttpApp);
  const shutdown = await container.getAsync(TOKENS.ShutdownState);
  // After the app, whose readiness check opened the database and applied the migrations.
  if (config.firstSuperuser) {
    try {
      await ensureFirstSuperuser(await container.getAsync(TOKENS.EnsureFirstSuperuser), config.firstSuperuser, logger);
    } catch (error) {
      // Nothing listens yet: release the pool (or the embedded database) before the caller reports the failure.
      await container.unbindAllAsync();
      throw error;
    }
  }
  const handle = app.callback();
  const { database } = config;
  const server = createServer(
    database.kind === 'postgres' ? (request, response) => withDatabaseDeadline(database.timeoutMs, () => handle(request, response)) : handle,
  );
  // Longer than a load balancer's idle timeout (60 s on AWS ALB), so it never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  await listen(server, config.port, config.host);
  let metricsServer: Server | undefined;
  if (config.metricsPort !== undefined) {
    metricsServer = createServer(createMetricsApp(await container.getAsync(TOKENS.Metrics)).callback());
    try {
      await listen(metricsServer, config.metricsPort, config.metricsHost);
    } catch (error) {
      // A taken metrics port fails the start as a taken API port does, leaving nothing open behind.
      await new Promise((resolve) => server.close(resolve));
      await container.unbindAllAsync();
      throw error;
    }
  }
  const mailDelivery = await container.getAsync(TOKENS.MailDelivery);
  await mailDelivery.start();
  const purge = await container.getAsync(TOKENS.PurgeEndedSessions);
  const purgeTokens = await container.getAsync(TOKENS.PurgeEndedOneTimeTokens);
  const purgeProvider = await container.getAsync(TOKENS.PurgeExpiredProviderEntries);
  const purgeEnded = () =>
    Promise.all([
      purge.execute().then(
        (count) => count > 0 && logger.info({ sessions: count }, 'ended sessions purged'),
        (error: unknown) => logger.warn({ err: error }, 'purging ended sessions failed'),
      ),
      purgeTokens.execute().then(
        (count) => count > 0 && logger.info({ tokens: count }, 'ended one-time tokens purged'),
        (error: unknown) => logger.warn({ err: error }, 'purging ended one-time tokens failed'),
      ),
      purgeProvider.execute().then(
        (count) => count > 0 && logger.info({ entries: count }, 'expired OpenID Provider entries purged'),
        (error: unknown) => logger.warn({ err: error }, 'purging expired OpenID Provider entries failed'),
      ),
    ]);
  void purgeEnded();
  // unref: a pending purge never keeps the process alive.
  const purgeTimer = setInterval(purgeEnded, PURGE_INTERVAL_MS).unref();
  const purgeAudit = await container.getAsync(TOKENS.PurgeAuditEvents);
  const purgeOldEvents = () =>
    purgeAudit.execute().then(
      (count) => count > 0 && logger.info({ events: count }, 'audit events past AUDIT_RETENTION_DAYS purged'),
      (error: unknown) => logger.warn({ err: error }, 'purging old audit events failed'),
    );
  void purgeOldEvents();
  const auditPurgeTimer = setInterval(purgeOldEvents, PURGE_INTERVAL_MS).unref();
  const purgeChallenges = await container.getAsync(TOKENS.PurgeExpiredMfaChallenges);
  const purgeExpiredChallenges = () =>
    purgeChallenges.execute().then(
      (count) => count > 0 && logger.info({ challenges: count }, 'expired mfa challenges purged'),
      (error: unknown) => logger.warn({ err: error }, 'purging expired mfa challenges failed'),
    );
  void purgeExpiredChallenges();
  const challengePurgeTimer = setInterval(purgeExpiredChallenges, PURGE_INTERVAL_MS).unref();

  const url = urlOf(server);
  const metricsUrl = metricsServer && urlOf(metricsServer);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      shutdown.shuttingDown = true;
      clearInterval(purgeTimer);
      clearInterval(auditPurgeTimer);
      clearInterval(challengePurgeTimer);
      // Keep serving while load balancers see readiness fail and stop sending; closing at once would refuse
      // the requests they still route here in the meantime.
      if (config.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets with no request in flight would hold `close` open until their timeout.
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: closing remaining connections');
          server.closeAllConnections();
          resolve();
        }, config.shutdownTimeoutMs);
      });
      await Promise.race([drained, deadline]);
      clearTimeout(timer);
      // After the API listener, so a scraper can watch the drain; a scrape takes no time worth waiting for.
      if (metricsServer) {
        const stopped = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeAllConnections();
        await stopped;
      }
      // After the requests: a request that finished last may have queued a mail this pass should still send.
      // Bounded as they are: an SMTP server that hangs must not hold the exit. A mail cut off then keeps its
      // lease, which expires, and the next start or another instance sends it (at least once).
      let mailTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        mailDelivery.stop(),
        new Promise<void>((resolve) => {
          mailTimer = setTimeout(() => {
            logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: leaving the mail being sent to a later delivery');
            resolve();
          }, config.shutdownTimeoutMs);
        }),
      ]);
      clearTimeout(mailTimer);
      await container.unbindAllAsync();
    })());

  const userRepository = await container.getAsync(TOKENS.UserRepository);
  return { url, metricsUrl, userRepository, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
