import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../../application/ports/clock.js';
import type { AccessTokenClaims, IssuedAccessToken, TokenIssuer } from '../../application/ports/token-issuer.js';
import { InvalidToken, isAuthenticationMethod, isUserId, isUuid, PASSWORD_ONLY, type AuthenticationMethod } from '../../domain/index.js';
import type { JoseKeySet } from './jose-key-set.js';

export interface JoseTokenIssuerOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  /** RFC 8725 §3.10 leaves skew to the verifier; a little absorbs clocks that drift between instances. */
  readonly clockToleranceSeconds: number;
}

/** RFC 9068 §2.1: access tokens say what they are, so an ID token or another JWT cannot stand in for one. */
const TOKEN_TYPE = 'at+jwt';
const TOKEN_VERSION_CLAIM = 'ver';
/** As OpenID Connect names a session (OIDC Front-Channel Logout §3). */
const SESSION_CLAIM = 'sid';
/** RFC 8176 §1: authentication method references, as OpenID Connect Core §2 names them. */
const AMR_CLAIM = 'amr';
/** OpenID Connect Core §2: seconds since the epoch of the user's last proof of a credential. */
const AUTH_TIME_CLAIM = 'auth_time';
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'jti'];

/** The claims of ours that ride in the token beside the registered ones. */
function privateClaims(claims: AccessTokenClaims): JWTPayload {
  return { [TOKEN_VERSION_CLAIM]: claims.tokenVersion, [SESSION_CLAIM]: claims.sessionId, [AMR_CLAIM]: [...claims.amr], [AUTH_TIME_CLAIM]: Math.floor(claims.authTime.getTime() / 1000) };
}

function claimsOf(payload: JWTPayload): AccessTokenClaims {
  const version = payload[TOKEN_VERSION_CLAIM];
  const session = payload[SESSION_CLAIM];
  if (!payload.sub || !isUserId(payload.sub) || !Number.isSafeInteger(version) || (version as number) < 0) throw new InvalidToken();
  if (typeof session !== 'string' || !isUuid(session)) throw new InvalidToken();
  return { userId: payload.sub, tokenVersion: version as number, sessionId: session, amr: amrOf(payload[AMR_CLAIM]), authTime: authTimeOf(payload) };
}

// Tokens signed before `auth_time` existed were issued at a log-in or a refresh: `iat` is the latest it can be.
function authTimeOf(payload: JWTPayload): Date {
  const claim = payload[AUTH_TIME_CLAIM] ?? payload.iat;
  if (!Number.isSafeInteger(claim) || (claim as number) < 0) throw new InvalidToken();
  return new Date((claim as number) * 1000);
}

// Tokens signed before `amr` existed can only have come from a password log-in; they expire within minutes.
function amrOf(claim: unknown): readonly AuthenticationMethod[] {
  if (claim === undefined) return PASSWORD_ONLY;
  if (!Array.isArray(claim) || claim.length === 0 || !claim.every(isAuthenticationMethod)) throw new InvalidToken();
  return claim;
}

/**
 * Signs access tokens with the key set's current key and verifies them with the key their `kid` names, each
 * key pinned to its one algorithm: a token cannot choose how it is checked (`alg: none`, HS/RS confusion).
 */
export class JoseTokenIssuer implements TokenIssuer {
  constructor(
    private readonly keys: JoseKeySet,
    private readonly options: JoseTokenIssuerOptions,
    private readonly clock: Clock,
  ) {}

  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const { issuer, audience, ttlSeconds } = this.options;
    const { alg, kid, key } = this.keys.signing;
    const token = await new SignJWT(privateClaims(claims))
      .setProtectedHeader({ alg, typ: TOKEN_TYPE, kid })
      .setSubject(claims.userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresIn: ttlSeconds };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      // Not even a JOSE header: as malformed as a bad signature, and answered alike.
      throw new InvalidToken();
    }
    const key = this.keys.verificationKey(kid);
    if (!key) throw new InvalidToken();
    try {
      const { payload } = await jwtVerify(token, key.key, {
        algorithms: [key.alg],
        typ: TOKEN_TYPE,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: this.clock.now(),
        clockTolerance: this.options.clockToleranceSeconds,
      });
      // jose checks iat only when given maxTokenAge. A token issued beyond the skew we forgive comes from a clock
      // gone wrong or a hand-minted token meant to outlive its exp check; either way it is not one of ours.
      const now = this.clock.now().getTime() / 1000;
      if ((payload.iat ?? 0) > now + this.options.clockToleranceSeconds) throw new InvalidToken();
      return claimsOf(payload);
    } catch (error) {
      // Every jose refusal (bad signature, expired, wrong claim, malformed) is one answer to the client.
      if (error instanceof errors.JOSEError) throw new InvalidToken();
      throw error;
    }
  }
}
