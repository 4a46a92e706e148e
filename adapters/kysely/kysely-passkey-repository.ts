import type { Kysely, Selectable } from 'kysely';
import type { PasskeyRepository } from '../../application/passkeys/passkey-repository.js';
import { Passkey, type PasskeyDeviceType, type PasskeyUseDecision, type UserId } from '../../domain/index.js';
import type { Database, PasskeysTable } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { inTransaction } from './in-transaction.js';

/** Passkeys in PostgreSQL or PGlite; the user's row going takes its passkeys with it (on delete cascade). */
export class KyselyPasskeyRepository implements PasskeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(passkey: Passkey): Promise<boolean> {
    const result = await withTranslatedErrors(
      this.db
        .insertInto('passkeys')
        .values({
          credential_id: passkey.credentialId,
          user_id: passkey.userId,
          public_key: passkey.publicKey,
          counter: passkey.counter,
          transports: passkey.transports.join(' '),
          device_type: passkey.deviceType,
          backed_up: passkey.backedUp,
          name: passkey.name,
          created_at: passkey.createdAt,
          last_used_at: passkey.lastUsedAt ?? null,
        })
        .onConflict((oc) => oc.column('credential_id').doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async listByUser(userId: UserId): Promise<Passkey[]> {
    const rows = await withTranslatedErrors(
      this.db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('credential_id').execute(),
    );
    return rows.map(toPasskey);
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | undefined> {
    const row = await withTranslatedErrors(this.db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst());
    return row && toPasskey(row);
  }

  async rename(userId: UserId, credentialId: string, name: string): Promise<Passkey | undefined> {
    return withTranslatedErrors(
      inTransaction(this.db, async (trx) => {
        const row = await trx.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).where('user_id', '=', userId).forUpdate().executeTakeFirst();
        if (!row) return undefined;
        // The domain says what a name may be (trimmed, bounded, a default when empty).
        const renamed = toPasskey(row).renamed(name);
        await trx.updateTable('passkeys').set({ name: renamed.name }).where('credential_id', '=', credentialId).execute();
        return renamed;
      }),
    );
  }

  async remove(userId: UserId, credentialId: string): Promise<boolean> {
    const result = await withTranslatedErrors(
      this.db.deleteFrom('passkeys').where('credential_id', '=', credentialId).where('user_id', '=', userId).executeTakeFirst(),
    );
    return Number(result.numDeletedRows) === 1;
  }

  async removeAllOf(userId: UserId): Promise<number> {
    const result = await withTranslatedErrors(this.db.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  async recordUse(credentialId: string, decide: (current: Passkey) => PasskeyUseDecision): Promise<PasskeyUseDecision | undefined> {
    return withTranslatedErrors(
      inTransaction(this.db, async (trx) => {
        // Uses of one credential take turns on its row lock, so each decision sees the counter the one before saved.
        const row = await trx.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).forUpdate().executeTakeFirst();
        if (!row) return undefined;
        const decision = decide(toPasskey(row));
        if (decision.outcome === 'accept') {
          const { counter, backedUp, lastUsedAt } = decision.passkey;
          await trx
            .updateTable('passkeys')
            .set({ counter, backed_up: backedUp, last_used_at: lastUsedAt ?? null })
            .where('credential_id', '=', credentialId)
            .execute();
        }
        return decision;
      }),
    );
  }
}

function toPasskey(row: Selectable<PasskeysTable>): Passkey {
  return new Passkey({
    credentialId: row.credential_id,
    userId: row.user_id,
    // pg gives a Buffer, PGlite a Uint8Array: callers get a plain Uint8Array either way.
    publicKey: Uint8Array.from(row.public_key),
    counter: Number(row.counter),
    transports: row.transports === '' ? [] : row.transports.split(' '),
    deviceType: row.device_type as PasskeyDeviceType,
    backedUp: row.backed_up,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? undefined,
  });
}
