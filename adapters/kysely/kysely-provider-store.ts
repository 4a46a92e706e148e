import type { Kysely, Selectable } from 'kysely';
import type { ProviderEntry, ProviderEntryInput, ProviderStore, StoredProviderEntry } from '../../application/provider/provider-store.js';
import type { Database, ProviderEntriesTable } from './database.js';
import { withTranslatedErrors } from './database-errors.js';

/** The OpenID Provider's entries in PostgreSQL or PGlite: every instance serves every flow. */
export class KyselyProviderStore implements ProviderStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(model: string, id: string, entry: ProviderEntryInput): Promise<void> {
    const values = toValues(model, id, entry);
    await withTranslatedErrors(
      this.db
        .insertInto('provider_entries')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({
            payload: values.payload,
            grant_id: values.grant_id,
            uid: values.uid,
            user_code: values.user_code,
            client_id: values.client_id,
            account_id: values.account_id,
            expires_at: values.expires_at,
            consumed_at: null,
          }),
        )
        .execute(),
    );
  }

  async insertIfAbsent(model: string, id: string, entry: ProviderEntryInput): Promise<ProviderEntry> {
    await withTranslatedErrors(this.db.insertInto('provider_entries').values(toValues(model, id, entry)).onConflict((oc) => oc.columns(['model', 'id']).doNothing()).execute());
    const row = await withTranslatedErrors(this.db.selectFrom('provider_entries').selectAll().where('model', '=', model).where('id', '=', id).executeTakeFirstOrThrow());
    return toEntry(row);
  }

  async find(model: string, id: string, now: Date): Promise<ProviderEntry | undefined> {
    return this.#findWhere(model, 'id', id, now);
  }

  async findByUid(model: string, uid: string, now: Date): Promise<ProviderEntry | undefined> {
    return this.#findWhere(model, 'uid', uid, now);
  }

  async findByUserCode(model: string, userCode: string, now: Date): Promise<ProviderEntry | undefined> {
    return this.#findWhere(model, 'user_code', userCode, now);
  }

  async consume(model: string, id: string, at: Date): Promise<void> {
    await withTranslatedErrors(this.db.updateTable('provider_entries').set({ consumed_at: at }).where('model', '=', model).where('id', '=', id).execute());
  }

  async destroy(model: string, id: string): Promise<void> {
    await withTranslatedErrors(this.db.deleteFrom('provider_entries').where('model', '=', model).where('id', '=', id).execute());
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await withTranslatedErrors(this.db.deleteFrom('provider_entries').where('grant_id', '=', grantId).execute());
  }

  async listByModel(model: string, now: Date): Promise<readonly StoredProviderEntry[]> {
    const rows = await withTranslatedErrors(this.#live(now).where('model', '=', model).orderBy('id').execute());
    return rows.map((row) => ({ id: row.id, ...toEntry(row) }));
  }

  async listByAccount(model: string, accountId: string, now: Date): Promise<readonly StoredProviderEntry[]> {
    const rows = await withTranslatedErrors(this.#live(now).where('model', '=', model).where('account_id', '=', accountId).orderBy('id').execute());
    return rows.map((row) => ({ id: row.id, ...toEntry(row) }));
  }

  async destroyByClient(clientId: string): Promise<number> {
    const result = await withTranslatedErrors(this.db.deleteFrom('provider_entries').where('client_id', '=', clientId).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  async destroyByAccount(accountId: string): Promise<number> {
    const result = await withTranslatedErrors(this.db.deleteFrom('provider_entries').where('account_id', '=', accountId).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    // A bounded batch: the subquery picks at most `limit` rows by the expires_at index.
    const result = await withTranslatedErrors(
      this.db
        .deleteFrom('provider_entries')
        .where(({ eb, refTuple, selectFrom }) =>
          eb(refTuple('model', 'id'), 'in', selectFrom('provider_entries').select(['model', 'id']).where('expires_at', '<', before).limit(limit).$asTuple('model', 'id')),
        )
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  #live(now: Date) {
    return this.db.selectFrom('provider_entries').selectAll().where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  }

  async #findWhere(model: string, column: 'id' | 'uid' | 'user_code', value: string, now: Date): Promise<ProviderEntry | undefined> {
    const row = await withTranslatedErrors(this.#live(now).where('model', '=', model).where(column, '=', value).limit(1).executeTakeFirst());
    return row && toEntry(row);
  }
}

function toValues(model: string, id: string, entry: ProviderEntryInput) {
  return {
    model,
    id,
    payload: JSON.stringify(entry.payload),
    grant_id: entry.grantId ?? null,
    uid: entry.uid ?? null,
    user_code: entry.userCode ?? null,
    client_id: entry.clientId ?? null,
    account_id: entry.accountId ?? null,
    expires_at: entry.expiresAt ?? null,
    consumed_at: null,
  };
}

function toEntry(row: Selectable<ProviderEntriesTable>): ProviderEntry {
  return { payload: row.payload, expiresAt: row.expires_at ?? undefined, consumedAt: row.consumed_at ?? undefined };
}

