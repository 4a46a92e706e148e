import type { AuthenticationMethod, SessionId, UserId } from '../../domain/index.js';

export interface AccessTokenClaims {
  readonly userId: UserId;
  /** The user's token version when the token was issued; see `User.tokenVersion`. */
  readonly tokenVersion: number;
  /** The session the token belongs to: ending the session refuses the token at once. */
  readonly sessionId: SessionId;
  /** RFC 8176: how the user authenticated when the session opened, kept across refreshes. */
  readonly amr: readonly AuthenticationMethod[];
  /** OpenID Connect Core §2 `auth_time`: when the user last proved a credential in the session; a refresh keeps it. */
  readonly authTime: Date;
}

export interface IssuedAccessToken {
  readonly token: string;
  /** Lifetime in seconds, as RFC 6749 §5.1 `expires_in`. */
  readonly expiresIn: number;
}

export interface TokenIssuer {
  issue(claims: AccessTokenClaims): Promise<IssuedAccessToken>;
  /** Throws `InvalidToken` for any token it did not issue, or that has expired. */
  verify(token: string): Promise<AccessTokenClaims>;
}
