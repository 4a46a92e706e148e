import { DataDirectoryLockedError } from '../adapters/kysely/data-directory-lock.js';
import { migrateDown, migrateToLatest, migrationStatus } from '../adapters/kysely/migrator.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { openDatabase } from './database.js';
import { createLogger } from './logger.js';

const USAGE = 'usage: npm run migrate -- latest | down | status';

/** `npm run migrate -- <command>`: the same migrations the service applies at start-up, on demand. */
async function main(command: string | undefined): Promise<number> {
  if (command !== 'latest' && command !== 'down' && command !== 'status') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(readEnvironment(process.env));
  if (config.database.kind === 'memory') {
    process.stderr.write('DATABASE_URL=memory keeps no schema: nothing to migrate\n');
    return 2;
  }
  let handle;
  try {
    handle = await openDatabase(config.database, createLogger(config));
  } catch (error) {
    if (!(error instanceof DataDirectoryLockedError)) throw error;
    // The usual cause: the service itself runs on this DATA_DIR, and it migrates at every start.
    process.stderr.write(
      `${error.directory} is in use by ${error.holderPid === undefined ? 'another process' : `process ${error.holderPid}`} (a running service?): ` +
        'stop it first, or restart it: it applies pending migrations at start-up (MIGRATE_ON_START), and GET /health/ready answers once they are\n',
    );
    return 1;
  }
  try {
    if (command === 'status') {
      for (const { name, executedAt } of await migrationStatus(handle.db)) {
        process.stdout.write(`${executedAt ? `applied ${executedAt.toISOString()}` : 'pending                          '}  ${name}\n`);
      }
    } else {
      const names = command === 'latest' ? await migrateToLatest(handle.db) : await migrateDown(handle.db);
      const verb = command === 'latest' ? 'applied' : 'reverted';
      process.stdout.write(names.length === 0 ? 'nothing to do\n' : names.map((n) => `${verb} ${n}\n`).join(''));
    }
    return 0;
  } finally {
    await handle.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? `Invalid configuration: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
