import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../adapters/kysely/database-handle.js';
import type { DatabaseConfig } from './config.js';

export type SqlDatabaseConfig = Exclude<DatabaseConfig, { kind: 'memory' }>;

/** The embedded database keeps its files in a folder of its own beside the development signing key. */
export function pgliteDirectory(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/** Each driver is imported only when chosen: the one left out (PGlite's WebAssembly, or pg) is start-up time for nothing. */
export async function openDatabase(database: SqlDatabaseConfig, logger: Logger): Promise<DatabaseHandle> {
  if (database.kind === 'pglite') {
    const { createPgliteDatabase } = await import('../adapters/kysely/pglite-database.js');
    return createPgliteDatabase({
      dataDir: pgliteDirectory(database.dataDir),
      onSlowStart: (reason) => logger.warn({ reason }, 'embedded database: creating a new cluster the slow way'),
    });
  }
  const { createPostgresDatabase } = await import('../adapters/kysely/postgres-database.js');
  return createPostgresDatabase({
    url: database.url,
    poolMax: database.poolMax,
    timeoutMs: database.timeoutMs,
    statementTimeoutMs: database.statementTimeoutMs,
    // An idle connection dropped by a database restart must not take the process down; the pool reconnects.
    // Message and code only: pg attaches the whole connection object to these errors.
    onPoolError: (error) => logger.warn({ error: error.message, code: (error as { code?: string }).code }, 'database connection lost'),
  });
}
