import type { Session, User } from '../../domain/index.js';
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

/** The pair a client receives whenever a session opens or is refreshed: one shape for both answers. */
export async function issueTokens(
  tokens: TokenIssuer,
  user: User,
  session: Pick<Session, 'id' | 'amr' | 'authTime'>,
  refreshToken: string,
  policy: SessionPolicy,
): Promise<SessionTokens> {
  const accessToken = await tokens.issue({ userId: user.id, tokenVersion: user.tokenVersion, sessionId: session.id, amr: session.amr, authTime: session.authTime });
  return { accessToken, refreshToken, refreshExpiresIn: Math.floor(policy.refreshTokenTtlMs / 1000) };
}
