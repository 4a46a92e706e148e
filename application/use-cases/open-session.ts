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
import type { IssuedAccessToken, TokenIssuer } from '../ports/token-issuer.js';

export interface SessionTokens {
  readonly accessToken: IssuedAccessToken;
  /** Opaque; only its hash is stored. */
  readonly refreshToken: string;
  /** Seconds until the refresh token expires unless used before. */
  readonly refreshExpiresIn: number;
}

export interface SessionPolicy {
  /** How long a refresh token stays usable; each refresh starts the period again. */
  readonly refreshTokenTtlMs: number;
}

/** Opens a session for a user who just proved who they are, and issues its first pair of tokens. */
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

export async function issueTokens(
  tokens: TokenIssuer,
  user: User,
  session: Pick<Session, 'id' | 'amr'>,
  refreshToken: string,
  policy: SessionPolicy,
): Promise<SessionTokens> {
  const accessToken = await tokens.issue({ userId: user.id, tokenVersion: user.tokenVersion, sessionId: session.id, amr: session.amr });
  return { accessToken, refreshToken, refreshExpiresIn: Math.floor(policy.refreshTokenTtlMs / 1000) };
}
