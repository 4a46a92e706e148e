import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { isHmacAlgorithm } from '../adapters/crypto/signing-algorithms.js';
import type { Config } from './config.js';
import { loadOrCreateDevelopmentSecret } from './development-secret.js';

// HKDF labels (RFC 5869 §3.1-3.2): a fixed salt is fine for a high-entropy input; `info` names the one use.
const SALT = Buffer.from('auth-service refresh tokens');
const INFO = Buffer.from('refresh-token successor v1');

/**
 * The key that derives each refresh token's successor (`successorRefreshToken`). Racing refreshes may reach
 * different instances, so every instance must hold the same key: a random key under DATA_DIR would differ between
 * instances that share one PostgreSQL, and a new variable would be one more secret to deploy. The signing secret is
 * already shared by exactly the instances that serve one issuer: SECRET_KEY (or the development key under
 * DATA_DIR) with HMAC, the private key with EdDSA, ES256 and RS256, which have no SECRET_KEY. HKDF gives a separate
 * key from it, so no HMAC this service computes for one purpose ever serves the other. Rotating the signing secret
 * changes the key: a race spanning that moment gets a refusal, never a session ended (see `Session.refresh`).
 */
export async function loadRefreshTokenKey(config: Config): Promise<KeyObject> {
  const secret = isHmacAlgorithm(config.algorithm)
    ? Buffer.from(config.secretKey ?? (await loadOrCreateDevelopmentSecret(config.dataDir)))
    : // The configuration guarantees a private key for an asymmetric algorithm.
      config.privateKey!.export({ format: 'der', type: 'pkcs8' });
  return createSecretKey(Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32)));
}
