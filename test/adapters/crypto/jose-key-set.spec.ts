import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { hmacKeyId, JoseKeySet } from '../../../adapters/crypto/jose-key-set.js';
import { algorithmForKey, describeKey } from '../../../adapters/crypto/signing-algorithms.js';
import { expectRejection } from '../../support/expect-rejection.js';

const secret = (fill: string) => new TextEncoder().encode(fill.repeat(40));

const ed25519 = () => generateKeyPairSync('ed25519');
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('JoseKeySet', () => {
  describe('HMAC', () => {
    it('names the secret by a keyed digest that differs per secret and contains none of it', async () => {
      const keys = await JoseKeySet.hmac('HS256', secret('a'), [secret('b')]);
      expect(keys.signing.kid).to.equal(hmacKeyId(secret('a')));
      expect(keys.signing.kid).to.match(/^[A-Za-z0-9_-]{16}$/);
      expect(hmacKeyId(secret('b'))).not.to.equal(keys.signing.kid);
      expect(keys.signing.kid).not.to.include('aaaa');
      expect(keys.signing.alg).to.equal('HS256');
    });

    it('verifies with the current and the previous secret, by kid, and publishes no key', async () => {
      const keys = await JoseKeySet.hmac('HS384', secret('a'), [secret('b')]);
      expect(keys.verificationKey(hmacKeyId(secret('a')))?.alg).to.equal('HS384');
      expect(keys.verificationKey(hmacKeyId(secret('b')))?.kid).to.equal(hmacKeyId(secret('b')));
      expect(keys.verificationKey(hmacKeyId(secret('c')))).to.equal(undefined);
      expect(keys.jwks).to.deep.equal({ keys: [] });
    });

    it('checks a token without kid against the current key only', async () => {
      const keys = await JoseKeySet.hmac('HS256', secret('a'), [secret('b')]);
      expect(keys.verificationKey(undefined)?.kid).to.equal(keys.signing.kid);
      expect(keys.verificationKey(42)).to.equal(undefined);
    });

    it('refuses a short secret, and a previous secret equal to the current one', async () => {
      await expectRejection(JoseKeySet.hmac('HS256', new Uint8Array(31)), RangeError);
      await expectRejection(JoseKeySet.hmac('HS256', secret('a'), [secret('a')]), RangeError);
    });
  });

  describe('asymmetric', () => {
    it('names each key by its RFC 7638 thumbprint and publishes public members only', async () => {
      const current = ed25519();
      const previous = p256();
      const keys = await JoseKeySet.asymmetric('EdDSA', current.privateKey, [previous.publicKey]);
      const currentJwk = current.publicKey.export({ format: 'jwk' }) as JWK;
      const previousJwk = previous.publicKey.export({ format: 'jwk' }) as JWK;
      expect(keys.signing.kid).to.equal(await calculateJwkThumbprint(currentJwk));
      expect(keys.jwks.keys).to.deep.equal([
        { ...currentJwk, kid: keys.signing.kid, alg: 'EdDSA', use: 'sig' },
        { ...previousJwk, kid: await calculateJwkThumbprint(previousJwk), alg: 'ES256', use: 'sig' },
      ]);
      for (const jwk of keys.jwks.keys) expect(jwk).not.to.have.any.keys('d', 'p', 'q', 'dp', 'dq', 'qi', 'k');
    });

    it('verifies a previous key with its own algorithm, never the current one', async () => {
      const previous = p256();
      const keys = await JoseKeySet.asymmetric('EdDSA', ed25519().privateKey, [previous.publicKey]);
      const kid = await calculateJwkThumbprint(previous.publicKey.export({ format: 'jwk' }) as JWK);
      expect(keys.verificationKey(kid)?.alg).to.equal('ES256');
      expect(keys.verificationKey(kid)?.key.type).to.equal('public');
      expect(keys.signing.key.type).to.equal('private');
    });

    it('lists a previous key equal to the current one once', async () => {
      const current = ed25519();
      const keys = await JoseKeySet.asymmetric('EdDSA', current.privateKey, [current.publicKey]);
      expect(keys.jwks.keys).to.have.length(1);
    });

    it('refuses a public key to sign with, a key of another algorithm, and a previous key it cannot use', async () => {
      const current = ed25519();
      await expectRejection(JoseKeySet.asymmetric('EdDSA', current.publicKey), TypeError);
      await expectRejection(JoseKeySet.asymmetric('ES256', current.privateKey), RangeError);
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      await expectRejection(JoseKeySet.asymmetric('EdDSA', current.privateKey, [p384.publicKey]), RangeError);
    });
  });
});

describe('signing algorithms', () => {
  const cases: [string, () => KeyObject, string | undefined, string][] = [
    ['Ed25519', () => ed25519().privateKey, 'EdDSA', 'an Ed25519 key'],
    ['P-256', () => p256().privateKey, 'ES256', 'an EC key on curve prime256v1'],
    ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, undefined, 'an EC key on curve secp384r1'],
    ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'RS256', 'a 2048-bit RSA key'],
    ['RSA 1024', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, undefined, 'a 1024-bit RSA key'],
    ['Ed448', () => generateKeyPairSync('ed448').privateKey, undefined, 'a key of type ed448'],
  ];
  for (const [name, make, algorithm, description] of cases) {
    it(`gives ${name} ${algorithm ?? 'no algorithm'}`, () => {
      const key = make();
      expect(algorithmForKey(key)).to.equal(algorithm);
      expect(describeKey(key)).to.equal(description);
    });
  }
});
