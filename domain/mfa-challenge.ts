import { createHash, randomBytes } from 'node:crypto';
import type { UserId } from './user-id.js';

/** How long the second step may take after the password step. */
export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
/** Codes tried on one challenge; past this it is dead, and the client must start again with the password. */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;
const MFA_TOKEN_BYTES = 32;

export interface MfaChallengeProps {
  /** SHA-256 of the `mfa_token`: a leaked table lets no one finish anybody's log-in. */
  readonly tokenHash: string;
  readonly userId: UserId;
  /** The address that passed the password step: the second step must come from it. */
  readonly ip: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Codes tried so far, counted before each check, so concurrent tries cannot exceed the budget. */
  readonly attempts: number;
  /**
   * The account's token version at the password step. A password change, reset or email revert moves the
   * version, and with it every pending second step dies: a password the owner has replaced opens nothing.
   */
  readonly tokenVersion: number;
}

/**
 * The state between a correct password and a second factor for an account with two-factor log-in on. Its
 * token is opaque random bytes, not a JWT, so it can never pass for a bearer token.
 */
export class MfaChallenge implements MfaChallengeProps {
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly ip: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly attempts: number;
  readonly tokenVersion: number;

  constructor(props: MfaChallengeProps) {
    this.tokenHash = props.tokenHash;
    this.userId = props.userId;
    this.ip = props.ip;
    this.createdAt = props.createdAt;
    this.expiresAt = props.expiresAt;
    this.attempts = props.attempts;
    this.tokenVersion = props.tokenVersion;
  }

  /** A new challenge and the token that names it, which only the client gets. */
  static issue(props: { userId: UserId; tokenVersion: number; ip: string; now: Date }): { challenge: MfaChallenge; token: string } {
    const token = randomBytes(MFA_TOKEN_BYTES).toString('base64url');
    const challenge = new MfaChallenge({
      tokenHash: hashMfaToken(token),
      userId: props.userId,
      ip: props.ip,
      createdAt: props.now,
      expiresAt: new Date(props.now.getTime() + MFA_CHALLENGE_TTL_MS),
      attempts: 0,
      tokenVersion: props.tokenVersion,
    });
    return { challenge, token };
  }

  /** Whether the account is still as it was at the password step (see `tokenVersion`). */
  belongsTo(user: { id: UserId; tokenVersion: number }): boolean {
    return this.userId === user.id && this.tokenVersion === user.tokenVersion;
  }

  /** After its attempt was counted: whether this try may check a code at all. */
  admits(ip: string, now: Date): boolean {
    return this.ip === ip && now < this.expiresAt && this.attempts <= MFA_CHALLENGE_MAX_ATTEMPTS;
  }
}

export function hashMfaToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
