import { KyselyAuditLog } from '../adapters/kysely/kysely-audit-log.js';
import { KyselyUserRepository } from '../adapters/kysely/kysely-user-repository.js';
import { migrateToLatest } from '../adapters/kysely/migrator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import { AuditTrail, InvalidEmail, InvalidUsername, LastSuperuser, SetSuperuser, UserNotFound } from '../application/index.js';
import { DataDirectoryLockedError } from '../adapters/kysely/data-directory-lock.js';
import { Username } from '../domain/username.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { openDatabase } from './database.js';
import { createLogger } from './logger.js';

const USAGE = 'usage: npm run users -- promote <email or username> | demote <email or username>';

/**
 * `npm run users -- promote|demote <email or username>`: makes an account a superuser or not, for an operator who
 * holds the database (no token needed). One line of output; a refusal exits 1 with one line on stderr.
 */
async function main(command: string | undefined, name: string | undefined, extra: number): Promise<number> {
  if ((command !== 'promote' && command !== 'demote') || name === undefined || extra > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(readEnvironment(process.env));
  if (config.database.kind === 'memory') {
    process.stderr.write('DATABASE_URL=memory keeps no accounts between processes: nothing to change\n');
    return 2;
  }
  let handle;
  try {
    handle = await openDatabase(config.database, createLogger(config));
  } catch (error) {
    if (!(error instanceof DataDirectoryLockedError)) throw error;
    // The usual cause: the service itself runs on this DATA_DIR. Say what to do instead, in the one line.
    process.stderr.write(
      `${error.directory} is in use by ${error.holderPid === undefined ? 'another process' : `process ${error.holderPid}`} (a running service?): ` +
        `stop it first, or ask it as a superuser: PATCH /api/v1/users/{id} with {"is_superuser": ${command === 'promote'}}\n`,
    );
    return 1;
  }
  try {
    // The same schema the service would bring at start-up, so a fresh database refuses with a clear "no account".
    if (config.migrateOnStart) await migrateToLatest(handle.db);
    const clock = new SystemClock();
    const users = new KyselyUserRepository(handle.db);
    const setSuperuser = new SetSuperuser(users, clock, new AuditTrail(new KyselyAuditLog(handle.db), clock));
    const promote = command === 'promote';
    let email = name;
    try {
      // No email has no "@": a username, looked up to the email the use case takes.
      if (!name.includes('@')) {
        const found = await users.findByUsername(Username.parse(name));
        if (!found) throw new UserNotFound();
        email = found.email.value;
      }
      const user = await setSuperuser.execute(email, promote);
      process.stdout.write(`${promote ? 'promoted' : 'demoted'} ${user.email.value} (${user.username.value}): ${user.isSuperuser ? 'superuser' : 'not a superuser'}\n`);
      return 0;
    } catch (error) {
      const refusal =
        error instanceof InvalidEmail || error instanceof InvalidUsername
          ? `not an email address or a username: ${name}`
          : error instanceof UserNotFound
            ? `no account has the ${name.includes('@') ? 'email' : 'username'} ${name}`
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
