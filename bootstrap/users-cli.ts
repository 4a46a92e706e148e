import { KyselyAuditLog } from '../adapters/kysely/kysely-audit-log.js';
import { KyselyUserRepository } from '../adapters/kysely/kysely-user-repository.js';
import { migrateToLatest } from '../adapters/kysely/migrator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import { AuditTrail, InvalidEmail, LastSuperuser, SetSuperuser, UserNotFound } from '../application/index.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { openDatabase } from './database.js';
import { createLogger } from './logger.js';

const USAGE = 'usage: npm run users -- promote <email> | demote <email>';

/**
 * `npm run users -- promote|demote <email>`: makes an account a superuser or not, for an operator who holds the
 * database (no token needed). One line of output; a refusal exits 1 with one line on stderr.
 */
async function main(command: string | undefined, email: string | undefined, extra: number): Promise<number> {
  if ((command !== 'promote' && command !== 'demote') || email === undefined || extra > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(readEnvironment(process.env));
  if (config.database.kind === 'memory') {
    process.stderr.write('DATABASE_URL=memory keeps no accounts between processes: nothing to change\n');
    return 2;
  }
  const handle = await openDatabase(config.database, createLogger(config));
  try {
    // The same schema the service would bring at start-up, so a fresh database refuses with a clear "no account".
    if (config.migrateOnStart) await migrateToLatest(handle.db);
    const clock = new SystemClock();
    const setSuperuser = new SetSuperuser(new KyselyUserRepository(handle.db), clock, new AuditTrail(new KyselyAuditLog(handle.db), clock));
    const promote = command === 'promote';
    try {
      const user = await setSuperuser.execute(email, promote);
      process.stdout.write(`${promote ? 'promoted' : 'demoted'} ${user.email.value} (${user.username.value}): ${user.isSuperuser ? 'superuser' : 'not a superuser'}\n`);
      return 0;
    } catch (error) {
      const refusal =
        error instanceof InvalidEmail
          ? `not an email address: ${email}`
          : error instanceof UserNotFound
            ? `no account has the email ${email}`
            : error instanceof LastSuperuser
              ? `${email} is the last active superuser; promote another account first`
              : undefined;
      if (refusal === undefined) throw error;
      process.stderr.write(`${refusal}\n`);
      return 1;
    }
  } finally {
    await handle.close();
  }
}

main(process.argv[2], process.argv[3], process.argv.length - 4).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? `Invalid configuration: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message.split('\n')[0]}\n`);
    process.exit(1);
  },
);
