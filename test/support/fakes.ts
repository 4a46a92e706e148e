import type { AccessTokenClaims, IssuedAccessToken, MfaNotifier, PasswordHasher, TokenIssuer } from '../../application/index.js';
import { InvalidToken, isAuthenticationMethod, type User } from '../../domain/index.js';

/** A transparent hasher that counts its calls, so tests can prove how many verifications a use case runs. */
export class CountingHasher implements PasswordHasher {
  hashes = 0;
  verifications = 0;

  async hash(password: string): Promise<string> {
    this.hashes += 1;
    return `hashed:${password}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    this.verifications += 1;
    return hash === `hashed:${password}`;
  }
}

/** Tokens that are just the claims, readable in a test's failure message. */
export class PlainTokenIssuer implements TokenIssuer {
  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    return { token: `${claims.userId}|${claims.tokenVersion}|${claims.sessionId}|${claims.amr.join(',')}|${claims.authTime.getTime()}`, expiresIn: 60 };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const [userId, version, sessionId, amr, authTime] = token.split('|');
    const methods = amr?.split(',') ?? [];
    if (!userId || version === undefined || !sessionId || !methods.every(isAuthenticationMethod)) throw new InvalidToken();
    return { userId, tokenVersion: Number(version), sessionId, amr: methods, authTime: new Date(Number(authTime)) };
  }
}

/** Keeps what the two-factor use cases reported, in order, for tests to read. */
export class RecordingMfaNotifier implements MfaNotifier {
  readonly events: string[] = [];

  async enabled(user: User): Promise<void> {
    this.events.push(`enabled:${user.username.value}`);
  }

  async disabled(user: User): Promise<void> {
    this.events.push(`disabled:${user.username.value}`);
  }

  async recoveryCodeUsed(user: User, remaining: number): Promise<void> {
    this.events.push(`recovery_code_used:${user.username.value}:${remaining}`);
  }

  async locked(user: User): Promise<void> {
    this.events.push(`locked:${user.username.value}`);
  }
}
