import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../../application/ports/secret-box.js';

const VERSION = 'v1';
const KEY_BYTES = 32;
// NIST SP 800-38D §8.2.2: a random 96-bit IV keeps the collision bound for the number of values we will ever seal.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under a 32-byte key. A sealed value reads `v1.<key id>.<iv>.<ciphertext+tag>` (base64url), where
 * the key id is the first 8 bytes of the key's SHA-256: during a rotation the box opens values sealed under the
 * previous key and seals new ones under the current key only.
 */
export class AesGcmSecretBox implements SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly byId: Map<string, Buffer>;

  constructor(currentKey: Uint8Array, previousKeys: readonly Uint8Array[] = []) {
    const keys = [currentKey, ...previousKeys].map((key) => {
      if (key.length !== KEY_BYTES) throw new Error(`an encryption key must be ${KEY_BYTES} bytes, not ${key.length}`);
      return { id: keyId(key), key: Buffer.from(key) };
    });
    this.current = keys[0]!;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    // The key id is authenticated too, so a value cannot be moved to another key's slot.
    cipher.setAAD(Buffer.from(`${VERSION}.${this.current.id}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.current.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, id, ivText, bodyText, ...rest] = sealed.split('.');
    if (version !== VERSION || id === undefined || ivText === undefined || bodyText === undefined || rest.length > 0) {
      throw new Error('not a sealed value');
    }
    const key = this.byId.get(id);
    if (!key) throw new Error('sealed under an unknown key');
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`${VERSION}.${id}`));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

function keyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url');
}
