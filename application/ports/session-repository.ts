import type { AuthenticationMethod, RefreshDecision, RefreshTokenState, Session, SessionId, User, UserId } from '../../domain/index.js';

export interface SessionWithUser {
  readonly session: Session;
  readonly user: User;
}

/** What `useRefreshToken` reads for the domain to decide on, as of the moment it holds the session. */
export interface RefreshTokenUse {
  readonly session: Session;
  readonly user: User;
  readonly presented: RefreshTokenState;
  /** The token stored under the successor hash for this same session, if any. */
  readonly successor: RefreshTokenState | undefined;
}

export interface RefreshTokenUseResult {
  readonly user: User;
  readonly decision: RefreshDecision;
}

/**
 * Sessions and their refresh tokens. Only SHA-256 hashes of refresh tokens reach the store.
 */
export interface SessionRepository {
  /** Saves a new session with its first refresh token. */
  open(session: Session, refreshTokenHash: string): Promise<void>;
  /** The session and its user in one read: what every authenticated request needs. */
  findWithUser(id: SessionId): Promise<SessionWithUser | undefined>;
  /**
   * One atomic read-decide-write, so the store carries no security rule of its own: reads the session that
   * holds `presentedHash`, its user, and the state of the presented token and of `successorHash`; lets `decide`
   * (the domain's `Session.refresh`) choose; and saves exactly what the decision says (`rotate`: spend the
   * presented token, store `successorHash` as current, save the renewed session; `reuse`: save the revocation;
   * `grace` and `refuse`: nothing). Concurrent calls for one session take turns, each deciding on what the one
   * before saved. Undefined when no session holds the token (unknown, purged, or its user deleted).
   */
  useRefreshToken(
    presentedHash: string,
    successorHash: string,
    decide: (use: RefreshTokenUse) => RefreshDecision,
  ): Promise<RefreshTokenUseResult | undefined>;
  /**
   * The user proved a credential again in this open session: saves `authTime` and `amr` (RFC 9470). False when
   * the user has no open session with that id.
   */
  recordAuthentication(userId: UserId, id: SessionId, authTime: Date, amr: readonly AuthenticationMethod[]): Promise<boolean>;
  /** Sessions of the user that are neither revoked nor expired at `now`, newest first. */
  listOpen(userId: UserId, now: Date): Promise<Session[]>;
  /** Returns false when the user has no open session with that id. */
  revoke(userId: UserId, id: SessionId, now: Date): Promise<boolean>;
  /** Revokes every open session of the user; returns how many. */
  revokeAll(userId: UserId, now: Date): Promise<number>;
  /**
   * One housekeeping batch: deletes at most `limit` rows, sessions that expired or were revoked before `before`
   * (with their refresh tokens) first, then spent refresh tokens used before it. Returns how many rows it counted
   * (a session's own refresh tokens go with it uncounted); fewer than `limit` means nothing is left.
   */
  purgeEnded(before: Date, limit: number): Promise<number>;
}
