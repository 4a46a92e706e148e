import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../bootstrap/config.js';
import { createLogger } from '../../bootstrap/logger.js';
import type { Container } from 'inversify';
import { startServer, type RunningServer } from '../../bootstrap/server.js';

export interface TestServer extends RunningServer {
  /** The composition root, for reading what no route shows (the audit log, the metrics registry). */
  readonly container: Container;
  /** Every log line the server wrote, parsed. */
  readonly logLines: Record<string, unknown>[];
  readonly rawLog: string[];
  readonly dataDir: string;
}

/** The bearer suites scrape `/metrics` with on the API port, when they start the server with it as METRICS_TOKEN. */
export const METRICS_TOKEN = 'scrape-token-for-the-test-suites-0123456789';

/**
 * Starts the real service (composition root, config parsing and all) on a free port, with a fast bcrypt cost
 * and its logs captured. `env` adds or overrides variables as a deployment would.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  existingDataDir?: string,
  /** Sees the container before anything is resolved from it: a test may rebind what it fakes (the clock). */
  prepare?: (container: Container) => void,
): Promise<TestServer> {
  const dataDir = existingDataDir ?? (await mkdtemp(join(tmpdir(), 'auth-test-')));
  const rawLog: string[] = [];
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        rawLog.push(line);
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: 'memory',
    BCRYPT_COST: '10',
    TRUST_PROXY: 'true',
    RATE_LIMIT_PER_MINUTE: '1000',
    // Room for the suites' bursts of 40 concurrent registrations; the overload suite sets its own bounds.
    HASH_QUEUE_MAX: '100',
    LOG_LEVEL: 'info',
    ...env,
  });
  let container: Container | undefined;
  const running = await startServer(config, createLogger(config, sink), (built) => {
    container = built;
    prepare?.(built);
  });
  return {
    ...running,
    container: container!,
    logLines,
    rawLog,
    dataDir,
    close: async () => {
      await running.close();
      if (!existingDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
