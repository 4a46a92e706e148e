import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits (OAuth 2.0 Security BCP asks for at least 128), base64url: 43 characters. */
const REFRESH_TOKEN_BYTES = 32;

export interface NewRefreshToken {
  /** Given to the client once; never stored. */
  readonly token: string;
  /** What the store keeps: a leaked table lets no one refresh a session. */
  readonly hash: string;
}

/**
 * SHA-256, not bcrypt: the token is 256 random bits, so there is nothing to brute-force, and a fast hash lets
 * the store find a token by its hash with an index.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newRefreshToken(): NewRefreshToken {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}
