import { mkdir, readdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { lockDataDirectory, type DataDirectoryLock } from './data-directory-lock.js';
import type { Database } from './database.js';
import type { DatabaseHandle } from './database-handle.js';
import { CLUSTER_MARKER, loadPreparedCluster, unpackPreparedCluster } from './prepared-cluster.js';

export interface PgliteDatabaseOptions {
  /** Where the files live; created when missing. Undefined keeps the whole database in memory. */
  readonly dataDir?: string;
  /** Told when a new cluster has to run initdb (no prepared cluster for the installed PGlite): costs ~850 MB. */
  readonly onSlowStart?: (reason: string) => void;
}

async function holdsCluster(dataDir: string): Promise<boolean> {
  return (await readdir(dataDir)).includes(CLUSTER_MARKER);
}

/**
 * A new cluster from the prepared one rather than initdb, which costs about 850 MB of RSS: unpacked on disk
 * for a data directory (PGlite then opens it as it would reopen it), or handed to `loadDataDir` in memory.
 * No options: the directory already holds a cluster, or there is no prepared one and initdb runs.
 */
async function startingPoint(dataDir: string | undefined, onSlowStart: PgliteDatabaseOptions['onSlowStart']) {
  if (dataDir !== undefined) {
    if ((await holdsCluster(dataDir)) || (await unpackPreparedCluster(dataDir))) return {};
  } else {
    const loadDataDir = await loadPreparedCluster();
    if (loadDataDir !== undefined) return { loadDataDir };
  }
  onSlowStart?.('no prepared cluster for the installed PGlite (npm run pglite:cluster): running initdb');
  return {};
}

/**
 * PostgreSQL compiled to WebAssembly, in this process: no server to run, same SQL and same errors. One process
 * per data directory, enforced by a lock taken before the files are opened; the dialect serializes queries
 * over its single connection.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<DatabaseHandle> {
  const { dataDir } = options;
  let lock: DataDirectoryLock | undefined;
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    lock = await lockDataDirectory(dataDir);
  }
  let pglite: PGlite;
  try {
    const start = await startingPoint(dataDir, options.onSlowStart);
    // create() resolves once the engine is up, so a bad data directory fails here and not at the first request.
    pglite = await PGlite.create({ dataDir, ...start });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      try {
        await db.destroy();
        // Kysely only tears down a driver it has used; an unqueried PGlite would otherwise stay open.
        if (!pglite.closed) await pglite.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
