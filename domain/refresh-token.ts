import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';

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

/**
 * The token that replaces `token` when it is rotated: HMAC-SHA256 of it under a server key. Every request that
 * presents `token` derives the same successor, so two racing refreshes can both be answered with it while the
 * store keeps nothing but its hash. Without the key a successor is as unpredictable as a random token; the key
 * is derived from the signing secret (see bootstrap), so whoever could compute it could forge access tokens anyway.
 */
export function successorRefreshToken(token: string, key: KeyObject): NewRefreshToken {
  const successor = createHmac('sha256', key).update(token).digest('base64url');
  return { token: successor, hash: hashRefreshToken(successor) };
}
