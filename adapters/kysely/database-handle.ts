import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** A database the service can query, check and shut down, whichever engine is behind it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  /** Resolves when the database answers a trivial query; rejects otherwise. For readiness checks. */
  ping(): Promise<void>;
  /** Connections checked out and queries waiting for one; absent for an engine without a pool (PGlite). */
  poolStats?(): { readonly inUse: number; readonly waiting: number };
  /** Releases every connection (or the embedded engine). Call once, at shutdown. */
  close(): Promise<void>;
}
