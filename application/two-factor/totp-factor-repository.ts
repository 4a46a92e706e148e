import type { TotpFactor, UserId } from '../../domain/index.js';

/**
 * TOTP factors and their recovery codes, one factor per user. Every write that decides whether a code counts is
 * one atomic statement, so two instances given the same code at the same moment accept it at most once.
 * Confirming and removing a factor also set the user's `mfaEnabled` in the same transaction.
 */
export interface TotpFactorRepository {
  /** Saves a pending factor, replacing a pending one. False, and nothing changed, when a confirmed one exists. */
  savePending(factor: TotpFactor): Promise<boolean>;
  find(userId: UserId): Promise<TotpFactor | undefined>;
  /**
   * Confirms the pending factor whose sealed secret is `sealedSecret` (not one enrolled again meanwhile), records
   * `step` as its last accepted one and stores the recovery code hashes. False, and nothing changed, when there is
   * no such pending factor.
   */
  confirm(userId: UserId, sealedSecret: string, step: number, recoveryCodeHashes: readonly string[], now: Date): Promise<boolean>;
  /**
   * The compare-and-set of RFC 6238 §5.2: records `step` as the last accepted one when the factor is confirmed and
   * its last step is below `step`. False when it was not, and the code must be refused.
   */
  acceptStep(userId: UserId, step: number): Promise<boolean>;
  /** Spends an unused recovery code of a confirmed factor. False when there is none with that hash. */
  useRecoveryCode(userId: UserId, codeHash: string, now: Date): Promise<boolean>;
  /** Unused recovery codes left. */
  remainingRecoveryCodes(userId: UserId): Promise<number>;
  /** Counts one more consecutive wrong code, atomically; returns the count as it now stands (0: no factor). */
  recordFailedAttempt(userId: UserId): Promise<number>;
  /** Clears the count of consecutive wrong codes (a completed log-in, a password reset from a mailed link). */
  clearFailedAttempts(userId: UserId): Promise<void>;
  /** Removes the factor, pending or confirmed, and its recovery codes. False when there was none. */
  remove(userId: UserId): Promise<boolean>;
}
