import type { Session, SessionId, User, UserId } from '../../domain/index.js';

export interface SessionWithUser {
  readonly session: Session;
  readonly user: User;
}

export type RefreshTokenRotation =
  /** The token was current: it is now spent, and `newTokenHash` is the session's current one. */
  | { readonly outcome: 'rotated'; readonly session: Session; readonly user: User }
  /** The token had already been rotated: someone replayed it, so the whole session is now revoked. */
  | { readonly outcome: 'reused' }
  /** No such token, or its session is revoked or expired. */
  | { readonly outcome: 'invalid' };

/**
 * Sessions and their refresh tokens. Only SHA-256 hashes of refresh tokens reach the store. Implementations make
 * `rotateRefreshToken` atomic: of two concurrent uses of one token, at most one rotates it; the other counts as
 * reuse.
 */
export interface SessionRepository {
  /** Saves a new session with its first refresh token. */
  open(session: Session, refreshTokenHash: string): Promise<void>;
  /** The session and its user in one read: what every authenticated request needs. */
  findWithUser(id: SessionId): Promise<SessionWithUser | undefined>;
  rotateRefreshToken(presentedHash: string, newTokenHash: string, now: Date, expiresAt: Date): Promise<RefreshTokenRotation>;
  /** Sessions of the user that are neither revoked nor expired at `now`, newest first. */
  listOpen(userId: UserId, now: Date): Promise<Session[]>;
  /** Returns false when the user has no open session with that id. */
  revoke(userId: UserId, id: SessionId, now: Date): Promise<boolean>;
  /** Revokes every open session of the user; returns how many. */
  revokeAll(userId: UserId, now: Date): Promise<number>;
  /**
   * Deletes sessions that expired or were revoked before `before`, with their refresh tokens, and spent refresh
   * tokens used before it. Returns how many sessions went.
   */
  purgeEnded(before: Date): Promise<number>;
}
