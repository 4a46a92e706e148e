import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrationProvider } from './migrations/index.js';

export interface MigrationState {
  readonly name: string;
  /** When it was applied; undefined while it is pending. */
  readonly executedAt: Date | undefined;
}

/**
 * Kysely's Migrator holds a PostgreSQL advisory lock while it runs, so several instances starting at once
 * apply each migration exactly once; the others wait, then find nothing left to do.
 */
function migratorFor<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Applies every pending migration; a no-op when there is none. Returns the names it applied. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  return applied(await migratorFor(db).migrateToLatest(), 'up');
}

/** Reverts the most recent migration. Returns the name it reverted, if any. */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<string[]> {
  return applied(await migratorFor(db).migrateDown(), 'down');
}

export async function migrationStatus<DB>(db: Kysely<DB>): Promise<MigrationState[]> {
  const migrations = await migratorFor(db).getMigrations();
  return migrations.map(({ name, executedAt }) => ({ name, executedAt }));
}

// Kysely reports a failure in the result instead of throwing it; a start-up that ignored it would serve
// requests against a half-migrated schema.
function applied({ error, results = [] }: MigrationResultSet, direction: 'up' | 'down'): string[] {
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    const what = failed ? `Migration ${failed.migrationName} (${direction})` : `Migrating ${direction}`;
    throw new Error(`${what} failed: ${reason}`, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
