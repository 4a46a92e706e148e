import type { Kysely } from 'kysely';
import type { TotpFactorRepository } from '../../application/two-factor/totp-factor-repository.js';
import { isUuid, TotpFactor, type UserId } from '../../domain/index.js';
import type { Database } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { inTransaction } from './in-transaction.js';

/** TOTP factors and recovery-code hashes in PostgreSQL or PGlite. */
export class KyselyTotpFactorRepository implements TotpFactorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async savePending(factor: TotpFactor): Promise<boolean> {
    const result = await withTranslatedErrors(
      this.db
        .insertInto('totp_factors')
        .values({ user_id: factor.userId, secret: factor.sealedSecret, created_at: factor.createdAt, confirmed_at: null, last_step: null })
        // One statement: a concurrent confirmation either lands first (and this changes nothing) or after.
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ secret: factor.sealedSecret, created_at: factor.createdAt, last_step: null, failed_attempts: 0 })
            .where('totp_factors.confirmed_at', 'is', null),
        )
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async find(userId: UserId): Promise<TotpFactor | undefined> {
    if (!isUuid(userId)) return undefined;
    const row = await withTranslatedErrors(this.db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst());
    return (
      row &&
      new TotpFactor({
        userId: row.user_id,
        sealedSecret: row.secret,
        createdAt: row.created_at,
        confirmedAt: row.confirmed_at ?? undefined,
        lastStep: row.last_step ?? undefined,
        failedAttempts: row.failed_attempts,
      })
    );
  }

  async confirm(userId: UserId, sealedSecret: string, step: number, recoveryCodeHashes: readonly string[], now: Date): Promise<boolean> {
    if (!isUuid(userId)) return false;
    return withTranslatedErrors(
      inTransaction(this.db, async (trx) => {
        const confirmed = await trx
          .updateTable('totp_factors')
          .set({ confirmed_at: now, last_step: step })
          .where('user_id', '=', userId)
          .where('secret', '=', sealedSecret)
          .where('confirmed_at', 'is', null)
          .executeTakeFirst();
        if (confirmed.numUpdatedRows === 0n) return false;
        await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
        if (recoveryCodeHashes.length > 0) {
          await trx
            .insertInto('mfa_recovery_codes')
            .values(recoveryCodeHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
            .execute();
        }
        await trx.updateTable('users').set({ mfa_enabled: true }).where('id', '=', userId).execute();
        return true;
      }),
    );
  }

  async acceptStep(userId: UserId, step: number): Promise<boolean> {
    if (!isUuid(userId)) return false;
    // The compare and the set in one statement: under READ COMMITTED the row lock makes a second update re-check
    // the WHERE against the first one's result, so two instances cannot both accept one step.
    const result = await withTranslatedErrors(
      this.db
        .updateTable('totp_factors')
        .set({ last_step: step })
        .where('user_id', '=', userId)
        .where('confirmed_at', 'is not', null)
        .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }

  async useRecoveryCode(userId: UserId, codeHash: string, now: Date): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const result = await withTranslatedErrors(
      this.db
        .updateTable('mfa_recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where((eb) =>
          eb.exists(eb.selectFrom('totp_factors as f').select('f.user_id').where('f.user_id', '=', userId).where('f.confirmed_at', 'is not', null)),
        )
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }

  async remainingRecoveryCodes(userId: UserId): Promise<number> {
    if (!isUuid(userId)) return 0;
    const row = await withTranslatedErrors(
      this.db
        .selectFrom('mfa_recovery_codes')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow(),
    );
    return Number(row.count);
  }

  async recordFailedAttempt(userId: UserId): Promise<number> {
    if (!isUuid(userId)) return 0;
    const row = await withTranslatedErrors(
      this.db
        .updateTable('totp_factors')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
        .where('user_id', '=', userId)
        .returning('failed_attempts')
        .executeTakeFirst(),
    );
    return row?.failed_attempts ?? 0;
  }

  async clearFailedAttempts(userId: UserId): Promise<void> {
    if (!isUuid(userId)) return;
    await withTranslatedErrors(
      this.db.updateTable('totp_factors').set({ failed_attempts: 0 }).where('user_id', '=', userId).where('failed_attempts', '>', 0).execute(),
    );
  }

  async remove(userId: UserId): Promise<boolean> {
    if (!isUuid(userId)) return false;
    return withTranslatedErrors(
      inTransaction(this.db, async (trx) => {
        const removed = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).executeTakeFirst();
        await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
        await trx.updateTable('users').set({ mfa_enabled: false }).where('id', '=', userId).execute();
        return removed.numDeletedRows > 0n;
      }),
    );
  }
}
