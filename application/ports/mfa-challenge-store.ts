import type { MfaChallenge } from '../../domain/index.js';

/**
 * Log-ins waiting for their second factor, found by the hash of their `mfa_token`. `attempt` and `consume` are
 * atomic, so concurrent tries on one token cannot exceed its budget and at most one of them finishes the log-in.
 */
export interface MfaChallengeStore {
  add(challenge: MfaChallenge): Promise<void>;
  /** Counts one more code tried and returns the challenge as it now stands; undefined for an unknown token. */
  attempt(tokenHash: string): Promise<MfaChallenge | undefined>;
  /** Deletes the challenge and returns it as it was; undefined when it was already gone (used by someone else). */
  consume(tokenHash: string): Promise<MfaChallenge | undefined>;
  /** Deletes challenges that expired before `before`; returns how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}
