import { sql, type Kysely } from 'kysely';
import { isUserId, type Email, type User, type UserId, type Username } from '../../domain/index.js';
import type { GuardedUserChange, UserListQuery, UserRepository } from '../../application/ports/user-repository.js';
import type { Database } from './database.js';
import { toChanges, toOwnChanges, toRow, toUser } from './user-rows.js';
import { withTranslatedErrors } from './database-errors.js';
import { inTransaction } from './in-transaction.js';

/**
 * Every change that may remove a superuser takes this transaction-scoped advisory lock first, so the count of
 * the others it reads stays true until it commits (two superusers demoting each other at once run one after
 * the other, and the second sees the first's change). A row lock would not do: each would lock only its own row.
 */
const SUPERUSER_CHANGE_LOCK = sql`select pg_advisory_xact_lock(hashtext('auth-service:superuser-change'))`;

/**
 * Users in PostgreSQL or PGlite. Uniqueness is left to the unique indexes, which decide atomically under
 * concurrency; every method but the guarded ones is a single statement. Driver errors leave as the
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
    const result = await withTranslatedErrors(this.db.updateTable('users').set(toOwnChanges(user)).where('id', '=', user.id).executeTakeFirst());
    return result.numUpdatedRows > 0n;
  }

  async list(query: UserListQuery): Promise<User[]> {
    let select = this.db.selectFrom('users').selectAll().orderBy('id').limit(query.limit);
    if (query.after !== undefined) {
      if (!isUserId(query.after)) return [];
      select = select.where('id', '>', query.after);
    }
    if (query.prefix !== undefined) {
      // Written as the prefix indexes' expressions (text_pattern_ops), so a prefix search never scans the table.
      const pattern = `${query.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where((eb) => eb.or([eb('email', 'like', pattern), eb(eb.fn('lower', ['username']), 'like', pattern)]));
    }
    const rows = await withTranslatedErrors(select.execute());
    return rows.map(toUser);
  }

  async updateWith(id: UserId, decide: GuardedUserChange<User>): Promise<User | undefined> {
    if (!isUserId(id)) return undefined;
    return withTranslatedErrors(
      inTransaction(this.db, async (trx) => {
        const guarded = await readGuarded(trx, id);
        if (!guarded) return undefined;
        const next = decide(guarded.user, guarded.othersWhoAdminister);
        if (next.id !== id) throw new Error('a user keeps its id');
        await trx.updateTable('users').set(toChanges(next)).where('id', '=', id).execute();
        return next;
      }),
    );
  }

  async removeWith(id: UserId, decide: GuardedUserChange<void>): Promise<User | undefined> {
    if (!isUserId(id)) return undefined;
    return withTranslatedErrors(
      inTransaction(this.db, async (trx) => {
        const guarded = await readGuarded(trx, id);
        if (!guarded) return undefined;
        decide(guarded.user, guarded.othersWhoAdminister);
        await trx.deleteFrom('users').where('id', '=', id).execute();
        return guarded.user;
      }),
    );
  }

  async remove(id: UserId): Promise<boolean> {
    if (!isUserId(id)) return false;
    const result = await withTranslatedErrors(this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }
}

async function readGuarded(trx: Kysely<Database>, id: UserId): Promise<{ user: User; othersWhoAdminister: number } | undefined> {
  await SUPERUSER_CHANGE_LOCK.execute(trx);
  const row = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const { count } = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('is_superuser', '=', true)
    .where('is_active', '=', true)
    .where('id', '<>', id)
    .executeTakeFirstOrThrow();
  return { user: toUser(row), othersWhoAdminister: Number(count) };
}
