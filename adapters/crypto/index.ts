/** `auth-service/adapters/crypto`: bcrypt password hashing, JWT access tokens with jose, AES-GCM secrets. */
export { BcryptPasswordHasher, BCRYPT_MIN_COST, BCRYPT_MAX_COST } from './bcrypt-password-hasher.js';
export { BoundedPasswordHasher, type BoundedPasswordHasherOptions } from './bounded-password-hasher.js';
export { JoseKeySet, hmacKeyId, type JoseKey, type JsonWebKeySet, type PublicJwk } from './jose-key-set.js';
export { JoseTokenIssuer, type JoseTokenIssuerOptions } from './jose-token-issuer.js';
export { AesGcmSecretBox } from './aes-gcm-secret-box.js';
export {
  ASYMMETRIC_ALGORITHMS,
  HMAC_ALGORITHMS,
  SIGNING_ALGORITHMS,
  isHmacAlgorithm,
  type AsymmetricAlgorithm,
  type HmacAlgorithm,
  type SigningAlgorithm,
} from './signing-algorithms.js';
