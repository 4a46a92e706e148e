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

export interface RunningServer {
  readonly url: string;
  /** Where people open the pages: PUBLIC_URL, or http://localhost:PORT (a host name, as WebAuthn needs). */
  readonly publicUrl: string;
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
  const publicAddress = await container.getAsync(TOKENS.PublicAddress);
  publicAddress.listeningOn((server.address() as AddressInfo).port);
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
  // Every purge, at once and every HOUSEKEEPING_INTERVAL_SECONDS, one instance at a time (see Housekeeping).
  const housekeeping = await container.getAsync(TOKENS.Housekeeping);
  housekeeping.start();
  const passkeys = await container.getAsync(TOKENS.Passkeys);
  if (!passkeys.enabled) logger.warn({ publicUrl: config.publicUrl }, 'passkeys are off: PUBLIC_URL names an IP address, and WebAuthn needs a host name (set PUBLIC_URL or WEBAUTHN_RP_ID)');
  // Every instance delivers webhooks: the queue's leases share the work, so none waits on another.
  const webhookDelivery = await container.getAsync(TOKENS.WebhookDeliveryWorker);
  webhookDelivery.start();

  const url = urlOf(server);
  const metricsUrl = metricsServer && urlOf(metricsServer);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      shutdown.shuttingDown = true;
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
        Promise.all([mailDelivery.stop(), webhookDelivery.stop()]),
        new Promise<void>((resolve) => {
          mailTimer = setTimeout(() => {
            logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: leaving the mail being sent to a later delivery');
            resolve();
          }, config.shutdownTimeoutMs);
        }),
      ]);
      clearTimeout(mailTimer);
      // A round under way stops after its current batch (each is one short statement).
      await housekeeping.stop();
      await container.unbindAllAsync();
    })());

  const userRepository = await container.getAsync(TOKENS.UserRepository);
  return { url, publicUrl: publicAddress.url, metricsUrl, userRepository, close };
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
