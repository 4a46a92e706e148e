import type { Migration, MigrationProvider } from 'kysely';
import * as createUsers from './20261124100000_create_users.js';
import * as createSessions from './20261124200000_create_sessions.js';
import * as indexPurgePredicates from './20261125100000_index_purge_predicates.js';
import * as superusersAndAuditEvents from './20261125120000_superusers_and_audit_events.js';
import * as addTwoFactor from './20261125130000_add_two_factor.js';
import * as addUsersIsVerified from './20261125140000_add_users_is_verified.js';
import * as createOneTimeTokensAndMailOutbox from './20261125140100_create_one_time_tokens_and_mail_outbox.js';
import * as freshAuthentication from './20261201100000_fresh_authentication.js';
import * as mailOutcomesAndPurgeIndexes from './20261201110000_mail_outcomes_and_purge_indexes.js';
import * as createPasskeys from './20261201120000_create_passkeys.js';
import * as createWebhooks from './20261201150000_create_webhooks.js';

/**
 * Listed by hand rather than found by scanning a folder, so the same list works from the TypeScript sources
 * (tsx, tests) and from compiled dist/. Names sort by their timestamp; never rename or edit a released one.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '20261124100000_create_users': createUsers,
  '20261124200000_create_sessions': createSessions,
  '20261125100000_index_purge_predicates': indexPurgePredicates,
  '20261125120000_superusers_and_audit_events': superusersAndAuditEvents,
  '20261125130000_add_two_factor': addTwoFactor,
  '20261125140000_add_users_is_verified': addUsersIsVerified,
  '20261125140100_create_one_time_tokens_and_mail_outbox': createOneTimeTokensAndMailOutbox,
  '20261201100000_fresh_authentication': freshAuthentication,
  '20261201110000_mail_outcomes_and_purge_indexes': mailOutcomesAndPurgeIndexes,
  '20261201120000_create_passkeys': createPasskeys,
  '20261201150000_create_webhooks': createWebhooks,
});

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...migrations };
  },
};
