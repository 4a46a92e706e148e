import { InvalidToken, type Session, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { TokenIssuer } from '../ports/token-issuer.js';

export interface Authenticated {
  readonly user: User;
  readonly session: Session;
}

/**
 * Turns a bearer token into the current user and session: one signature check and one read (the session joined
 * with its user), so a log-out or a password change is honoured at once on every instance.
 */
export class AuthenticateUser {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Throws `InvalidToken` when the token is bad, its session is ended or expired, its user is gone or inactive,
   * or its version is revoked.
   */
  async execute(token: string): Promise<Authenticated> {
    const claims = await this.tokens.verify(token);
    const found = await this.sessions.findWithUser(claims.sessionId);
    if (
      !found ||
      found.user.id !== claims.userId ||
      found.user.tokenVersion !== claims.tokenVersion ||
      !found.user.isActive ||
      !found.session.isOpenFor(found.user, this.clock.now())
    ) {
      throw new InvalidToken();
    }
    return found;
  }
}
