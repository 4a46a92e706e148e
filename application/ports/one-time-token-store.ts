import type { OneTimeToken, OneTimeTokenPurpose, UserId } from '../../domain/index.js';

/**
 * The mailed one-time tokens, by hash. `consume` is atomic: of two concurrent uses of one token, at most one gets
 * it. A used, voided or expired token is never returned again.
 */
export interface OneTimeTokenStore {
  add(token: OneTimeToken): Promise<void>;
  /** The usable token with that hash and one of those purposes, without using it up. */
  find(hash: string, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<OneTimeToken | undefined>;
  /** Uses the token up and returns it; undefined when it is unknown, of another purpose, used, voided or expired. */
  consume(hash: string, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<OneTimeToken | undefined>;
  /** Voids every usable token of the user with one of those purposes; returns how many. */
  voidAll(userId: UserId, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<number>;
  /** Deletes at most `limit` tokens that expired, or were used or voided, before `before`. Returns how many went. */
  purgeEnded(before: Date, limit: number): Promise<number>;
}
