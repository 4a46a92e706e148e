import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { isHmacAlgorithm } from '../adapters/crypto/signing-algorithms.js';
import type { Config } from './config.js';
import { loadOrCreateDevelopmentSecret } from './development-secret.js';

const SALT = Buffer.from('auth-service browser sessions');

/**
 * The keys of browser session cookies and their CSRF tokens, HKDF-derived (RFC 5869) from the signing secret as the
 * refresh-token key is (see `refresh-token-key.ts` for why that secret): every instance behind one issuer agrees,
 * with no new secret to deploy, and each `info` label gives a key no other purpose shares.
 */
export async function loadBrowserSessionKeys(config: Config): Promise<{ cookieKey: KeyObject; csrfKey: KeyObject }> {
  const secret = isHmacAlgorithm(config.algorithm)
    ? Buffer.from(config.secretKey ?? (await loadOrCreateDevelopmentSecret(config.dataDir)))
    : config.privateKey!.export({ format: 'der', type: 'pkcs8' });
  const derive = (info: string) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, SALT, Buffer.from(info), 32)));
  return { cookieKey: derive('session cookie v1'), csrfKey: derive('csrf token v1') };
}

/** Plain http is allowed only for development on this machine, where browsers treat localhost as secure anyway. */
export function cookiesNeedSecure(config: Pick<Config, 'env'>, publicUrl: string): boolean {
  const url = new URL(publicUrl);
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return !(config.env === 'development' && url.protocol === 'http:' && loopback);
}
