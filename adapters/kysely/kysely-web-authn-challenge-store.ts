import type { Kysely } from 'kysely';
import type { WebAuthnChallengeStore } from '../../application/passkeys/web-authn-challenge-store.js';
import { WebAuthnChallenge, type WebAuthnCeremony } from '../../domain/index.js';
import type { Database } from './database.js';
import { withTranslatedErrors } from './database-errors.js';

/** Pending WebAuthn challenges in PostgreSQL or PGlite, so any instance can finish a ceremony another began. */
export class KyselyWebAuthnChallengeStore implements WebAuthnChallengeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async issue(challenge: WebAuthnChallenge): Promise<void> {
    await withTranslatedErrors(
      this.db
        .insertInto('webauthn_challenges')
        .values({
          challenge: challenge.challenge,
          ceremony: challenge.ceremony,
          user_id: challenge.userId ?? null,
          created_at: challenge.createdAt,
          expires_at: challenge.expiresAt,
        })
        .execute(),
    );
  }

  async consume(challenge: string): Promise<WebAuthnChallenge | undefined> {
    // One statement: of concurrent deletes of one row, one returns it.
    const row = await withTranslatedErrors(this.db.deleteFrom('webauthn_challenges').where('challenge', '=', challenge).returningAll().executeTakeFirst());
    return (
      row &&
      new WebAuthnChallenge({
        challenge: row.challenge,
        ceremony: row.ceremony as WebAuthnCeremony,
        userId: row.user_id ?? undefined,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      })
    );
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    const result = await withTranslatedErrors(
      this.db
        .deleteFrom('webauthn_challenges')
        .where(
          'challenge',
          'in',
          this.db.selectFrom('webauthn_challenges').select('challenge').where('expires_at', '<', before).limit(limit),
        )
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}
