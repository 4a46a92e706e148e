import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(readEnvironment(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config);
  const running = await startServer(config, logger);
  logger.info(
    { url: running.url, publicUrl: running.publicUrl, database: config.database.kind, rateLimiter: config.redisUrl ? 'redis' : 'memory' },
    // The public address, a host name: WebAuthn refuses IP addresses, and the pages are where a person starts.
    `listening on ${running.url}: open ${running.publicUrl}/register (docs at ${running.publicUrl}/docs)`,
  );

  let signalled = false;
  const stop = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
