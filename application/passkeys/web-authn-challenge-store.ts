import type { WebAuthnChallenge } from '../../domain/index.js';

/** Challenges issued for WebAuthn ceremonies, kept server-side: single use, 5 minutes (`WebAuthnChallenge`). */
export interface WebAuthnChallengeStore {
  issue(challenge: WebAuthnChallenge): Promise<void>;
  /**
   * Deletes the challenge and returns it as it was; undefined when unknown or already consumed. Atomic: of
   * concurrent consumers at most one gets it, so one challenge finishes at most one ceremony.
   */
  consume(challenge: string): Promise<WebAuthnChallenge | undefined>;
  /** Deletes up to `limit` challenges that expired before `before`; returns how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}
