import type { Kysely } from 'kysely';
import { isUserId, type Email, type User, type UserId, type Username } from '../../domain/index.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import type { Database } from './database.js';
import { toChanges, toRow, toUser } from './user-rows.js';
import { withTranslatedErrors } from './database-errors.js';

/**
 * Users in PostgreSQL or PGlite. Uniqueness is left to the unique indexes, which decide atomically under
 * concurrency; every method is a single statement, so none needs a transaction. Driver errors leave as the
 * application's errors (see `translateDatabaseError`).
 */
export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(user: User): Promise<void> {
    await withTranslatedErrors(this.db.insertInto('users').values(toRow(user)).execute());
  }

  async findById(id: UserId): Promise<User | undefined> {
    // PostgreSQL would reject a malformed uuid with an error; to the caller it is simply nobody.
    if (!isUserId(id)) return undefined;
    const row = await withTranslatedErrors(this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst());
    return row && toUser(row);
  }

  async findByEmail(email: Email): Promise<User | undefined> {
    const row = await withTranslatedErrors(this.db.selectFrom('users').selectAll().where('email', '=', email.value).executeTakeFirst());
    return row && toUser(row);
  }

  async findByUsername(username: Username): Promise<User | undefined> {
    // Written as the index expression, so users_username_lower_key serves the lookup.
    const row = await withTranslatedErrors(
      this.db
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['username']), '=', username.normalized))
        .executeTakeFirst(),
    );
    return row && toUser(row);
  }

  async update(user: User): Promise<boolean> {
    if (!isUserId(user.id)) return false;
    const result = await withTranslatedErrors(this.db.updateTable('users').set(toChanges(user)).where('id', '=', user.id).executeTakeFirst());
    return result.numUpdatedRows > 0n;
  }

  async remove(id: UserId): Promise<boolean> {
    if (!isUserId(id)) return false;
    const result = await withTranslatedErrors(this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }
}
