import { sql, type Kysely, type Selectable } from 'kysely';
import { Email, isUuid, type OneTimeToken, type OneTimeTokenPurpose, type UserId } from '../../domain/index.js';
import type { OneTimeTokenStore } from '../../application/ports/one-time-token-store.js';
import type { Database, OneTimeTokensTable } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { atAddresses } from './delete-batch.js';

/** One-time tokens in PostgreSQL or PGlite. Every method is one statement; `consume` is an update that returns. */
export class KyselyOneTimeTokenStore implements OneTimeTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(token: OneTimeToken): Promise<void> {
    await withTranslatedErrors(
      this.db
        .insertInto('one_time_tokens')
        .values({
          token_hash: token.hash,
          purpose: token.purpose,
          user_id: token.userId,
          email: token.email.value,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          ended_at: null,
        })
        .execute(),
    );
  }

  async find(hash: string, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<OneTimeToken | undefined> {
    if (purposes.length === 0) return undefined;
    const row = await withTranslatedErrors(
      this.db
        .selectFrom('one_time_tokens')
        .selectAll()
        .where('token_hash', '=', hash)
        .where('purpose', 'in', purposes)
        .where('ended_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
    return row && toToken(row);
  }

  // One conditional update: of two concurrent uses, the second finds ended_at set and matches nothing.
  async consume(hash: string, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<OneTimeToken | undefined> {
    if (purposes.length === 0) return undefined;
    const row = await withTranslatedErrors(
      this.db
        .updateTable('one_time_tokens')
        .set({ ended_at: now })
        .where('token_hash', '=', hash)
        .where('purpose', 'in', purposes)
        .where('ended_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst(),
    );
    return row && toToken(row);
  }

  async voidAll(userId: UserId, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<number> {
    if (!isUuid(userId) || purposes.length === 0) return 0;
    const result = await withTranslatedErrors(
      this.db
        .updateTable('one_time_tokens')
        .set({ ended_at: now })
        .where('user_id', '=', userId)
        .where('purpose', 'in', purposes)
        .where('ended_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async purgeEnded(before: Date, limit: number): Promise<number> {
    const result = await withTranslatedErrors(
      this.db
        .deleteFrom('one_time_tokens')
        .where(
          atAddresses(
            this.db
              .selectFrom('one_time_tokens')
              .select(sql`ctid`.as('ctid'))
              .where((ended) => ended.or([ended('expires_at', '<', before), ended('ended_at', '<', before)]))
              .limit(limit),
          ),
        )
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}

function toToken(row: Selectable<OneTimeTokensTable>): OneTimeToken {
  return {
    hash: row.token_hash,
    purpose: row.purpose as OneTimeTokenPurpose,
    userId: row.user_id,
    email: Email.parse(row.email),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
