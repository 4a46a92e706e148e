import type { KeyObject } from 'node:crypto';
import { hashRefreshToken, InvalidRefreshToken, successorRefreshToken } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { TokenIssuer } from '../ports/token-issuer.js';
import type { AuditTrail } from '../core/audit-trail.js';
import { issueTokens, type SessionPolicy, type SessionTokens } from '../core/issue-tokens.js';

export interface RefreshPolicy extends SessionPolicy {
  /** How long after its rotation a refresh token still yields its successor instead of ending the session. */
  readonly refreshReuseGraceMs: number;
}

/**
 * Trades a refresh token for a new pair and spends the old one (rotation). `Session.refresh` holds the rules:
 * a spent token presented again ends the whole session for both parties (OAuth 2.0 Security BCP §4.14.2), unless
 * it comes within the grace and its successor is still unused, when it gets that same successor again.
 */
export class RefreshSession {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    private readonly policy: RefreshPolicy,
    /** Derives each token's successor; every instance must hold the same one (see `successorRefreshToken`). */
    private readonly successorKey: KeyObject,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidRefreshToken`. */
  async execute(refreshToken: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const successor = successorRefreshToken(refreshToken, this.successorKey);
    const rules = { lifetimeMs: this.policy.refreshTokenTtlMs, reuseGraceMs: this.policy.refreshReuseGraceMs };
    const result = await this.sessions.useRefreshToken(hashRefreshToken(refreshToken), successor.hash, (use) => use.session.refresh(use, now, rules));
    if (result?.decision.outcome === 'reuse') {
      // Whoever presented the token may be the thief or the victim: no actor. The session has ended (the decision saved it).
      await this.audit.record('refresh.reuse_detected', { userId: result.user.id, actorId: null, details: { session_id: result.decision.session.id } });
    }
    if (!result || (result.decision.outcome !== 'rotate' && result.decision.outcome !== 'grace')) throw new InvalidRefreshToken();
    return issueTokens(this.tokens, result.user, result.decision.session, successor.token, this.policy);
  }
}
