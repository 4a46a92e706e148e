import { hashRefreshToken, InvalidRefreshToken, newRefreshToken } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { TokenIssuer } from '../ports/token-issuer.js';
import { issueTokens, type SessionPolicy, type SessionTokens } from './open-session.js';

/**
 * Trades a refresh token for a new pair and spends the old one (rotation). Presenting a spent token again means
 * two parties hold it, so the whole session is revoked for both (OAuth 2.0 Security BCP §4.14.2).
 */
export class RefreshSession {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  /** Throws `InvalidRefreshToken`. */
  async execute(refreshToken: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const next = newRefreshToken();
    const expiresAt = new Date(now.getTime() + this.policy.refreshTokenTtlMs);
    const rotation = await this.sessions.rotateRefreshToken(hashRefreshToken(refreshToken), next.hash, now, expiresAt);
    if (rotation.outcome !== 'rotated' || !rotation.user.isActive || !rotation.session.isOpenFor(rotation.user, now)) {
      throw new InvalidRefreshToken();
    }
    return issueTokens(this.tokens, rotation.user, rotation.session, next.token, this.policy);
  }
}
