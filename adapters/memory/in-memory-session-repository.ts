import { Session, type AuthenticationMethod, type RefreshDecision, type SessionId, type UserId } from '../../domain/index.js';
import type { RefreshTokenUse, RefreshTokenUseResult, SessionRepository, SessionWithUser } from '../../application/ports/session-repository.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { restoreMap, type Snapshottable } from './snapshottable.js';

interface RefreshTokenEntry {
  readonly sessionId: SessionId;
  usedAt: Date | undefined;
}

/**
 * Sessions in maps, reading users from the repository it is given (the in-memory one in practice), so a deleted
 * user's sessions answer nothing, as the database's cascade does. Each method runs without awaiting between
 * its reads and writes, which keeps it atomic on the event loop.
 */
export class InMemorySessionRepository implements SessionRepository, Snapshottable {
  readonly #sessions = new Map<SessionId, Session>();
  readonly #refreshTokens = new Map<string, RefreshTokenEntry>();

  constructor(private readonly users: UserRepository) {}

  async open(session: Session, refreshTokenHash: string): Promise<void> {
    this.#sessions.set(session.id, session);
    this.#refreshTokens.set(refreshTokenHash, { sessionId: session.id, usedAt: undefined });
  }

  async findWithUser(id: SessionId): Promise<SessionWithUser | undefined> {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const user = await this.users.findById(session.userId);
    return user && { session: this.#sessions.get(id)!, user };
  }

  async useRefreshToken(
    presentedHash: string,
    successorHash: string,
    decide: (use: RefreshTokenUse) => RefreshDecision,
  ): Promise<RefreshTokenUseResult | undefined> {
    const owner = this.#refreshTokens.get(presentedHash);
    const found = owner && this.#sessions.get(owner.sessionId);
    if (!found) return undefined;
    const user = await this.users.findById(found.userId);
    // Read again after the await, then decide and write without another: one step on the event loop.
    const entry = this.#refreshTokens.get(presentedHash);
    const session = entry && this.#sessions.get(entry.sessionId);
    if (!user || !entry || !session) return undefined;
    const stored = this.#refreshTokens.get(successorHash);
    const successor = stored?.sessionId === session.id ? { usedAt: stored.usedAt } : undefined;
    const decision = decide({ session, user, presented: { usedAt: entry.usedAt }, successor });
    if (decision.outcome === 'rotate') {
      entry.usedAt = decision.session.lastUsedAt;
      this.#refreshTokens.set(successorHash, { sessionId: session.id, usedAt: undefined });
    }
    if (decision.outcome === 'rotate' || decision.outcome === 'reuse') this.#sessions.set(session.id, decision.session);
    return { user, decision };
  }

  async recordAuthentication(userId: UserId, id: SessionId, authTime: Date, amr: readonly AuthenticationMethod[]): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (!session || session.userId !== userId || session.revokedAt !== undefined || session.expiresAt <= authTime) return false;
    this.#sessions.set(id, session.reauthenticated(authTime, amr));
    return true;
  }

  async listOpen(userId: UserId, now: Date): Promise<Session[]> {
    return [...this.#sessions.values()]
      .filter((s) => s.userId === userId && s.revokedAt === undefined && s.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  }

  async revoke(userId: UserId, id: SessionId, now: Date): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (!session || session.userId !== userId || session.revokedAt !== undefined || session.expiresAt <= now) return false;
    this.#sessions.set(id, new Session({ ...session, revokedAt: now }));
    return true;
  }

  async revokeAll(userId: UserId, now: Date): Promise<number> {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (session.userId === userId && session.revokedAt === undefined) {
        this.#sessions.set(session.id, new Session({ ...session, revokedAt: now }));
        count += 1;
      }
    }
    return count;
  }

  snapshot(): () => void {
    const sessions = restoreMap(this.#sessions);
    // Entries are changed in place (usedAt), so they are copied, not shared with the snapshot.
    const tokens = [...this.#refreshTokens].map(([hash, entry]) => [hash, { ...entry }] as const);
    return () => {
      sessions();
      this.#refreshTokens.clear();
      for (const [hash, entry] of tokens) this.#refreshTokens.set(hash, entry);
    };
  }

  async purgeEnded(before: Date, limit: number): Promise<number> {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (count >= limit) break;
      if (session.expiresAt < before || (session.revokedAt !== undefined && session.revokedAt < before)) {
        this.#sessions.delete(session.id);
        count += 1;
      }
    }
    // The refresh tokens of deleted sessions go with them, uncounted, as ON DELETE CASCADE does.
    for (const [hash, entry] of this.#refreshTokens) {
      if (!this.#sessions.has(entry.sessionId)) this.#refreshTokens.delete(hash);
    }
    for (const [hash, entry] of this.#refreshTokens) {
      if (count >= limit) break;
      if (entry.usedAt !== undefined && entry.usedAt < before) {
        this.#refreshTokens.delete(hash);
        count += 1;
      }
    }
    return count;
  }
}
