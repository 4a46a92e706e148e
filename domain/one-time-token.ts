import { createHash, randomBytes } from 'node:crypto';
import type { Email } from './email.js';
import type { UserId } from './user-id.js';

/**
 * What a mailed link may do. Each token does exactly one of these, once:
 * - `verify_email`: proves the owner receives mail at `email`, the address it was sent to;
 * - `confirm_email_change`: moves the account to `email` (the new address) once it proves it receives mail;
 * - `reset_password`: sets a new password without the old one;
 * - `revert_email`: puts `email` (the address before a change) back, from that address's inbox.
 */
export const ONE_TIME_TOKEN_PURPOSES = ['verify_email', 'confirm_email_change', 'reset_password', 'revert_email'] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/**
 * The tokens a password change, a reset, an email change or a revert voids. Revert links are not among them:
 * an attacker who changed the password too must not be able to void the owner's way back.
 */
export const MAILBOX_PROOF_PURPOSES: readonly OneTimeTokenPurpose[] = ['verify_email', 'confirm_email_change', 'reset_password'];

export interface OneTimeToken {
  /** SHA-256 hex of the token; the token itself is only ever in the mail. */
  readonly hash: string;
  readonly purpose: OneTimeTokenPurpose;
  readonly userId: UserId;
  /** The address the token is bound to (see each purpose). */
  readonly email: Email;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** 256 random bits, base64url (43 characters), as the contract asks. */
const ONE_TIME_TOKEN_BYTES = 32;

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewOneTimeToken {
  /** Goes into the mail (sealed while the mail waits); never stored in clear. */
  readonly token: string;
  readonly record: OneTimeToken;
}

export function newOneTimeToken(props: Omit<OneTimeToken, 'hash'>): NewOneTimeToken {
  const token = randomBytes(ONE_TIME_TOKEN_BYTES).toString('base64url');
  return { token, record: { ...props, hash: hashOneTimeToken(token) } };
}
