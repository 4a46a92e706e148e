import { ServiceUnavailable } from '../../application/errors.js';
import { EmailTaken, UsernameTaken } from '../../domain/index.js';
import { DatabaseDeadlineExceeded } from './database-deadline.js';

/** SQLSTATE unique_violation (PostgreSQL Appendix A); PGlite reports the same code and constraint name. */
const UNIQUE_VIOLATION = '23505';

/** Constraint names from the create_users migration; a rename there must be mirrored here. */
const CLASH_BY_CONSTRAINT: Readonly<Record<string, () => Error>> = {
  users_email_key: () => new EmailTaken(),
  users_username_lower_key: () => new UsernameTaken(),
};

/**
 * SQLSTATEs that say the database cannot serve now, not that the statement was wrong: class 08 (connection
 * exception), operator or crash shutdown, start-up in progress, too many connections, and statement_timeout.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300|57014)$/;
const UNAVAILABLE_SYSCALL = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
// pg and pg-pool report a lost or refused connection with a plain Error and these messages.
const UNAVAILABLE_MESSAGE = /connection terminated|timeout exceeded when trying to connect|not queryable|connection (is )?closed/i;

/**
 * Turns a driver error into what the application understands: a unique violation into the domain's clash,
 * an unreachable or too slow database into `ServiceUnavailable` (a 503, not a 500). Anything else is a bug and passes.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  if (error instanceof DatabaseDeadlineExceeded) return new ServiceUnavailable('database', 1, { cause: error });
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === UNIQUE_VIOLATION && typeof constraint === 'string') return CLASH_BY_CONSTRAINT[constraint]?.() ?? error;
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SYSCALL.has(code))) ||
    (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message));
  return unavailable ? new ServiceUnavailable('database', 1, { cause: error }) : error;
}

/** Every statement goes through here, so driver errors leave as the application's errors. */
export async function withTranslatedErrors<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
