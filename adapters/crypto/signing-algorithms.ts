import type { KeyObject } from 'node:crypto';

export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const ASYMMETRIC_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;
export const SIGNING_ALGORITHMS = [...HMAC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS] as const;

export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** RFC 8725 §3.5 and NIST SP 800-131A: RSA keys below 2048 bits are too weak to sign with. */
const RSA_MIN_BITS = 2048;

export function isHmacAlgorithm(algorithm: SigningAlgorithm): algorithm is HmacAlgorithm {
  return (HMAC_ALGORITHMS as readonly string[]).includes(algorithm);
}

/**
 * The one JWS algorithm a key may be used with. A key never serves two algorithms (RFC 8725 §3.1), so a token's
 * `alg` header cannot make us check an RSA signature as an HMAC one; undefined for keys we do not sign with.
 */
export function algorithmForKey(key: KeyObject): AsymmetricAlgorithm | undefined {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'EdDSA';
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ES256' : undefined;
    case 'rsa':
      return (key.asymmetricKeyDetails?.modulusLength ?? 0) >= RSA_MIN_BITS ? 'RS256' : undefined;
    default:
      return undefined;
  }
}

/** "an Ed25519 key", "a 1024-bit RSA key": for start-up messages that say why a key was refused. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'an Ed25519 key';
    case 'ec':
      return `an EC key on curve ${details?.namedCurve ?? 'unknown'}`;
    case 'rsa':
      return `a ${details?.modulusLength ?? '?'}-bit RSA key`;
    default:
      return `a key of type ${key.asymmetricKeyType ?? key.type}`;
  }
}

/** What ALGORITHM needs, for the same messages. */
export const KEY_REQUIRED: Readonly<Record<AsymmetricAlgorithm, string>> = {
  EdDSA: 'an Ed25519 key',
  ES256: 'an EC key on curve P-256 (prime256v1)',
  RS256: `an RSA key of at least ${RSA_MIN_BITS} bits`,
};
