import type { Logger } from 'pino';
import { DomainError, type EnsureFirstSuperuser } from '../application/index.js';
import { ConfigError, type Config } from './config.js';

const VARIABLE_BY_FIELD: Readonly<Record<string, string>> = {
  email: 'FIRST_SUPERUSER_EMAIL',
  username: 'FIRST_SUPERUSER_USERNAME',
  password: 'FIRST_SUPERUSER_PASSWORD',
};

/**
 * Creates the configured first superuser once the schema is current. The outcome is logged, never the password.
 * An unusable value (a weak password, a username someone holds) stops start-up with one line naming the variable.
 */
export async function ensureFirstSuperuser(useCase: EnsureFirstSuperuser, wanted: NonNullable<Config['firstSuperuser']>, logger: Logger): Promise<void> {
  let outcome;
  try {
    outcome = await useCase.execute(wanted);
  } catch (error) {
    const variable = error instanceof DomainError && error.field !== undefined ? VARIABLE_BY_FIELD[error.field] : undefined;
    if (variable === undefined) throw error;
    throw new ConfigError(`${variable}: ${(error as DomainError).message}`);
  }
  if (outcome === 'created') logger.info({ email: wanted.email, username: wanted.username }, 'first superuser created');
  if (outcome === 'exists-not-superuser') {
    logger.warn(
      { email: wanted.email },
      `FIRST_SUPERUSER_EMAIL ${wanted.email} belongs to an account that is not a superuser; configuration never promotes it (npm run users -- promote ${wanted.email})`,
    );
  }
}
