import { randomUUID, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../application/ports/clock.js';
import type { AccessTokenClaims, IssuedAccessToken, TokenIssuer } from '../../application/ports/token-issuer.js';
import { InvalidToken, isUserId } from '../../domain/index.js';

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

export interface JoseTokenIssuerOptions {
  readonly secret: Uint8Array;
  readonly algorithm: HmacAlgorithm;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  /** RFC 8725 §3.10 leaves skew to the verifier; a little absorbs clocks that drift between instances. */
  readonly clockToleranceSeconds: number;
}

/** RFC 9068 §2.1: access tokens say what they are, so an ID token or another JWT cannot stand in for one. */
const TOKEN_TYPE = 'at+jwt';
const TOKEN_VERSION_CLAIM = 'ver';

/**
 * Signs and verifies JWT access tokens with an HMAC key imported once as a `CryptoKey`: verifying with a
 * pre-imported key is about four times faster than handing jose raw bytes on every request.
 */
export class JoseTokenIssuer implements TokenIssuer {
  private constructor(
    private readonly key: webcrypto.CryptoKey,
    private readonly options: JoseTokenIssuerOptions,
    private readonly clock: Clock,
  ) {}

  static async create(options: JoseTokenIssuerOptions, clock: Clock): Promise<JoseTokenIssuer> {
    if (options.secret.byteLength < 32) throw new RangeError('the signing secret must be at least 32 bytes');
    const hash = `SHA-${options.algorithm.slice(2)}`;
    const key = await webcrypto.subtle.importKey('raw', options.secret, { name: 'HMAC', hash }, false, ['sign', 'verify']);
    return new JoseTokenIssuer(key, options, clock);
  }

  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const { algorithm, issuer, audience, ttlSeconds } = this.options;
    const token = await new SignJWT({ [TOKEN_VERSION_CLAIM]: claims.tokenVersion })
      .setProtectedHeader({ alg: algorithm, typ: TOKEN_TYPE })
      .setSubject(claims.userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresIn: ttlSeconds };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        // Pinned: a token may not choose how it is checked (`alg: none`, HS/RS confusion).
        algorithms: [this.options.algorithm],
        typ: TOKEN_TYPE,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        currentDate: this.clock.now(),
        clockTolerance: this.options.clockToleranceSeconds,
      });
      const version = payload[TOKEN_VERSION_CLAIM];
      if (!payload.sub || !isUserId(payload.sub) || !Number.isSafeInteger(version) || (version as number) < 0) {
        throw new InvalidToken();
      }
      return { userId: payload.sub, tokenVersion: version as number };
    } catch (error) {
      // Every jose refusal (bad signature, expired, wrong claim, malformed) is one answer to the client.
      if (error instanceof errors.JOSEError) throw new InvalidToken();
      throw error;
    }
  }
}
