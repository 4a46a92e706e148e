import {
  newRefreshToken,
  newTimeOrderedId,
  PASSWORD_ONLY,
  Session,
  type AuthenticationMethod,
  type SessionOrigin,
  type User,
} from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { TokenIssuer } from '../ports/token-issuer.js';
import { issueTokens, type SessionPolicy, type SessionTokens } from './issue-tokens.js';

/** Opens a session for a user who just proved who they are, and issues its first pair of tokens. */
/** What a completed log-in answers, by password alone or after a second factor. */
export interface LogInResult {
  readonly user: User;
  readonly tokens: SessionTokens;
}

export class OpenSession {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  /** `amr`: how the user proved it (RFC 8176); every access token of the session carries it. */
  async execute(user: User, origin: SessionOrigin, amr: readonly AuthenticationMethod[] = PASSWORD_ONLY): Promise<SessionTokens> {
    const now = this.clock.now();
    const session = Session.open({ id: newTimeOrderedId(now), user, now, lifetimeMs: this.policy.refreshTokenTtlMs, origin, amr });
    const refresh = newRefreshToken();
    await this.sessions.open(session, refresh.hash);
    return issueTokens(this.tokens, user, session, refresh.token, this.policy);
  }
}
