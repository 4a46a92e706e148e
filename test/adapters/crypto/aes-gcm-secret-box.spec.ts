import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';

describe('AesGcmSecretBox', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never seals one value to the same text twice', () => {
    const box = new AesGcmSecretBox(key);
    const first = box.seal('JBSWY3DPEHPK3PXP');
    const second = box.seal('JBSWY3DPEHPK3PXP');
    expect(first).to.not.equal(second);
    expect(first).to.not.contain('JBSWY3DPEHPK3PXP');
    expect(box.open(first)).to.equal('JBSWY3DPEHPK3PXP');
    expect(box.open(second)).to.equal('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value whose ciphertext was changed', () => {
    const box = new AesGcmSecretBox(key);
    const parts = box.seal('secret').split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'))).to.throw();
  });

  it('refuses a value sealed under a key it does not know, and text that is not a sealed value', () => {
    const sealed = new AesGcmSecretBox(randomBytes(32)).seal('secret');
    const box = new AesGcmSecretBox(key);
    expect(() => box.open(sealed)).to.throw(/unknown key/);
    expect(() => box.open('secret')).to.throw(/not a sealed value/);
    expect(() => box.open('v1.a.b')).to.throw(/not a sealed value/);
  });

  it('during a rotation opens values sealed under the previous key and seals under the new one', () => {
    const previous = randomBytes(32);
    const old = new AesGcmSecretBox(previous).seal('secret');
    const rotated = new AesGcmSecretBox(key, [previous]);
    expect(rotated.open(old)).to.equal('secret');
    const fresh = rotated.seal('secret');
    expect(() => new AesGcmSecretBox(previous).open(fresh)).to.throw(/unknown key/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new AesGcmSecretBox(randomBytes(16))).to.throw(/32 bytes/);
  });
});
