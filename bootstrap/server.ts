import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createContainer } from './container.js';
import { TOKENS } from './tokens.js';

/** How often each instance deletes long-ended sessions; every instance may, the work is idempotent. */
const PURGE_INTERVAL_MS = 60 * 60_000;

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  /** The composition root's container, for a program that wants a use case or port of the running service. */
  readonly container: Container;
  /** Readiness turns 503, no new connections, in-flight requests finish (bounded), then stores close. */
  close(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const container = await createContainer(config, logger);
  const app = await container.getAsync(TOKENS.HttpApp);
  const shutdown = await container.getAsync(TOKENS.ShutdownState);
  const server = createServer(app.callback());
  // Longer than a load balancer's idle timeout (60 s on AWS ALB), so it never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const mailDelivery = await container.getAsync(TOKENS.MailDelivery);
  await mailDelivery.start();
  const purge = await container.getAsync(TOKENS.PurgeEndedSessions);
  const purgeTokens = await container.getAsync(TOKENS.PurgeEndedOneTimeTokens);
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
    ]);
  void purgeEnded();
  // unref: a pending purge never keeps the process alive.
  const purgeTimer = setInterval(purgeEnded, PURGE_INTERVAL_MS).unref();

  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      shutdown.shuttingDown = true;
      clearInterval(purgeTimer);
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

  return { url, server, container, close };
}
