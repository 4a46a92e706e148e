import { createHmac, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, importPKCS8, importSPKI, type JWK } from 'jose';
import { algorithmForKey, describeKey, type AsymmetricAlgorithm, type HmacAlgorithm, type SigningAlgorithm } from './signing-algorithms.js';

type JoseCryptoKey = Awaited<ReturnType<typeof importSPKI>>;

/** A key with the identifier that names it in token headers and the one algorithm it serves. */
export interface JoseKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly key: JoseCryptoKey;
}

/** RFC 7517 §4 public key, as the JWKS publishes it. */
export type PublicJwk = JWK & { readonly kid: string; readonly alg: AsymmetricAlgorithm; readonly use: 'sig' };

export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

const HMAC_KEY_ID_LABEL = 'auth-service/jwt-key-id/v1';
const HMAC_KEY_ID_BYTES = 12;

/**
 * A name for an HMAC secret that can go in every token header: HMAC(secret, fixed label), truncated. It tells
 * nothing about the secret that the token's own signature (also an HMAC under that secret) does not already.
 */
export function hmacKeyId(secret: Uint8Array): string {
  return createHmac('sha256', secret).update(HMAC_KEY_ID_LABEL).digest().subarray(0, HMAC_KEY_ID_BYTES).toString('base64url');
}

async function importHmac(algorithm: HmacAlgorithm, secret: Uint8Array): Promise<JoseKey> {
  if (secret.byteLength < 32) throw new RangeError('an HMAC signing secret must be at least 32 bytes');
  const hash = `SHA-${algorithm.slice(2)}`;
  const key = await webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['sign', 'verify']);
  return { kid: hmacKeyId(secret), alg: algorithm, key };
}

async function publicKeyOf(publicKey: KeyObject): Promise<{ verifying: JoseKey; jwk: PublicJwk }> {
  const alg = algorithmForKey(publicKey);
  if (!alg) throw new RangeError(`${describeKey(publicKey)} cannot verify EdDSA, ES256 or RS256 tokens`);
  const exported = publicKey.export({ format: 'jwk' }) as JWK;
  // RFC 7638 thumbprint: any holder of the public key computes the same kid, and it reveals nothing more.
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }) as string, alg);
  return { verifying: { kid, alg, key }, jwk: { ...exported, kid, alg, use: 'sig' } };
}

/**
 * The key that signs access tokens and every key that may verify them (the current one and those it replaced),
 * imported once at start-up as `CryptoKey`s: verification runs on every authenticated request. Previous keys
 * verify only; nothing here can sign with them.
 */
export class JoseKeySet {
  private readonly byKid: ReadonlyMap<string, JoseKey>;

  private constructor(
    readonly signing: JoseKey,
    verifying: readonly JoseKey[],
    /** Public keys only; an HMAC-only set publishes none. */
    readonly jwks: JsonWebKeySet,
  ) {
    this.byKid = new Map(verifying.map((key) => [key.kid, key]));
  }

  static async hmac(algorithm: HmacAlgorithm, current: Uint8Array, previous: readonly Uint8Array[] = []): Promise<JoseKeySet> {
    const signing = await importHmac(algorithm, current);
    const older = await Promise.all(previous.map((secret) => importHmac(algorithm, secret)));
    // Distinct secrets may share a truncated kid only by a 2^-96 accident; the same secret twice is a mistake.
    if (older.some((key) => key.kid === signing.kid)) throw new RangeError('a previous HMAC secret equals the current one');
    return new JoseKeySet(signing, [signing, ...older], Object.freeze({ keys: Object.freeze([]) }));
  }

  static async asymmetric(algorithm: AsymmetricAlgorithm, privateKey: KeyObject, previous: readonly KeyObject[] = []): Promise<JoseKeySet> {
    if (privateKey.type !== 'private') throw new TypeError('the signing key must be a private key');
    if (algorithmForKey(privateKey) !== algorithm) throw new RangeError(`${describeKey(privateKey)} cannot sign ${algorithm}`);
    const current = await publicKeyOf(createPublicKey(privateKey));
    const signingKey = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, algorithm);
    const signing: JoseKey = { kid: current.verifying.kid, alg: algorithm, key: signingKey };
    const older = (await Promise.all(previous.map((key) => publicKeyOf(key.type === 'public' ? key : createPublicKey(key))))).filter((key) => key.verifying.kid !== signing.kid);
    const keys = [current, ...older];
    return new JoseKeySet(signing, keys.map((key) => key.verifying), Object.freeze({ keys: Object.freeze(keys.map((key) => Object.freeze(key.jwk))) }));
  }

  /**
   * The key a token names. A token without `kid` (issued before tokens carried one) may only be checked against
   * the current key.
   */
  verificationKey(kid: unknown): JoseKey | undefined {
    if (kid === undefined) return this.byKid.get(this.signing.kid);
    return typeof kid === 'string' ? this.byKid.get(kid) : undefined;
  }
}
