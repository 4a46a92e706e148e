import type { AccessTokenClaims, IssuedAccessToken, PasswordHasher, TokenIssuer } from '../../application/index.js';
import { InvalidToken } from '../../domain/index.js';

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
    return { token: `${claims.userId}|${claims.tokenVersion}|${claims.sessionId}`, expiresIn: 60 };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const [userId, version, sessionId] = token.split('|');
    if (!userId || version === undefined || !sessionId) throw new InvalidToken();
    return { userId, tokenVersion: Number(version), sessionId };
  }
}
