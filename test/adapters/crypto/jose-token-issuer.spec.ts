import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { JoseKeySet } from '../../../adapters/crypto/jose-key-set.js';
import { JoseTokenIssuer } from '../../../adapters/crypto/jose-token-issuer.js';
import type { AccessTokenClaims } from '../../../application/ports/token-issuer.js';
import { InvalidToken } from '../../../domain/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { FakeClock } from '../../support/fake-clock.js';

const OPTIONS = { issuer: 'auth-service', audience: 'auth-service', ttlSeconds: 600, clockToleranceSeconds: 30 };
const claims: AccessTokenClaims = {
  userId: '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8e9f',
  tokenVersion: 3,
  sessionId: '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8ea0',
  amr: ['pwd'],
  authTime: new Date('2026-11-25T10:00:00Z'),
};
const secret = (fill: string) => new TextEncoder().encode(fill.repeat(40));

describe('JoseTokenIssuer', () => {
  it('issues an at+jwt naming its key, and reads back the claims it was given', async () => {
    const keys = await JoseKeySet.hmac('HS256', secret('a'));
    const issuer = new JoseTokenIssuer(keys, OPTIONS, new FakeClock());
    const { token, expiresIn } = await issuer.issue(claims);
    expect(expiresIn).to.equal(600);
    expect(decodeProtectedHeader(token)).to.deep.equal({ alg: 'HS256', typ: 'at+jwt', kid: keys.signing.kid });
    const payload = decodeJwt(token);
    expect(payload.exp! - payload.iat!).to.equal(600);
    expect(payload).to.include({ sub: claims.userId, iss: 'auth-service', aud: 'auth-service' });
    expect(payload.amr).to.deep.equal(['pwd']);
    expect(await issuer.verify(token)).to.deep.equal(claims);
  });

  it('carries amr (RFC 8176) as given, and refuses a token whose amr names a method it never issues', async () => {
    const keys = await JoseKeySet.hmac('HS256', secret('a'));
    const issuer = new JoseTokenIssuer(keys, OPTIONS, new FakeClock());
    const { token } = await issuer.issue({ ...claims, amr: ['pwd', 'otp'] });
    expect(decodeJwt(token).amr).to.deep.equal(['pwd', 'otp']);
    expect((await issuer.verify(token)).amr).to.deep.equal(['pwd', 'otp']);

    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ ver: 3, sid: claims.sessionId, amr: ['hwk'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keys.signing.kid })
      .setSubject(claims.userId)
      .setIssuer('auth-service')
      .setAudience('auth-service')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('j')
      .sign(keys.signing.key);
    await expectRejection(new JoseTokenIssuer(keys, OPTIONS, new FakeClock(new Date(now * 1000))).verify(forged), InvalidToken);
  });

  for (const [algorithm, pair] of [
    ['EdDSA', () => generateKeyPairSync('ed25519')],
    ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ] as const) {
    it(`signs and verifies ${algorithm} with a private key`, async () => {
      const keys = await JoseKeySet.asymmetric(algorithm, pair().privateKey);
      const issuer = new JoseTokenIssuer(keys, OPTIONS, new FakeClock());
      const { token } = await issuer.issue(claims);
      expect(decodeProtectedHeader(token)).to.include({ alg: algorithm, kid: keys.jwks.keys[0]!.kid });
      expect(await issuer.verify(token)).to.deep.equal(claims);
    });
  }

  it('forgives less than 30 s of clock skew past exp, and no more', async () => {
    const clock = new FakeClock();
    const issuer = new JoseTokenIssuer(await JoseKeySet.hmac('HS256', secret('a')), OPTIONS, clock);
    const { token } = await issuer.issue(claims);
    clock.advance((600 + 29) * 1000);
    expect(await issuer.verify(token)).to.deep.equal(claims);
    clock.advance(1000);
    await expectRejection(issuer.verify(token), InvalidToken);
  });

  it('refuses a token issued more than 30 s in the future, and forgives less', async () => {
    const clock = new FakeClock();
    const future = new FakeClock();
    const keys = await JoseKeySet.hmac('HS256', secret('a'));
    const issuer = new JoseTokenIssuer(keys, OPTIONS, clock);
    // Signed by an instance whose clock runs ahead: the token is genuine, only its iat is not yet.
    future.advance(29 * 1000);
    const { token: skewed } = await new JoseTokenIssuer(keys, OPTIONS, future).issue(claims);
    expect(await issuer.verify(skewed)).to.deep.equal(claims);
    for (const aheadMs of [2 * 1000, 60 * 60 * 1000]) {
      future.advance(aheadMs);
      const { token: fromTheFuture } = await new JoseTokenIssuer(keys, OPTIONS, future).issue(claims);
      await expectRejection(issuer.verify(fromTheFuture), InvalidToken);
    }
  });

  it('accepts a token of the previous secret after rotation, and signs with the new one only', async () => {
    const clock = new FakeClock();
    const before = new JoseTokenIssuer(await JoseKeySet.hmac('HS256', secret('a')), OPTIONS, clock);
    const rotatedKeys = await JoseKeySet.hmac('HS256', secret('b'), [secret('a')]);
    const after = new JoseTokenIssuer(rotatedKeys, OPTIONS, clock);
    const { token: old } = await before.issue(claims);
    expect(await after.verify(old)).to.deep.equal(claims);
    const { token: fresh } = await after.issue(claims);
    expect(decodeProtectedHeader(fresh).kid).to.equal(rotatedKeys.signing.kid);
    await expectRejection(before.verify(fresh), InvalidToken);
  });

  it('refuses a token whose kid names no key, and one that is not a JWT at all', async () => {
    const keys = await JoseKeySet.hmac('HS256', secret('a'));
    const issuer = new JoseTokenIssuer(keys, OPTIONS, new FakeClock());
    const { token } = await issuer.issue(claims);
    const payload = decodeJwt(token);
    const foreign = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'unknown' }).sign(secret('a'));
    await expectRejection(issuer.verify(foreign), InvalidToken);
    await expectRejection(issuer.verify('not a token'), InvalidToken);
  });

  it('checks a token without kid against the current key', async () => {
    const clock = new FakeClock();
    const issuer = new JoseTokenIssuer(await JoseKeySet.hmac('HS256', secret('b'), [secret('a')]), OPTIONS, clock);
    const payload = decodeJwt((await issuer.issue(claims)).token);
    const sign = (key: Uint8Array) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(key);
    expect(await issuer.verify(await sign(secret('b')))).to.deep.equal(claims);
    await expectRejection(issuer.verify(await sign(secret('a'))), InvalidToken);
  });

  it('refuses a token whose private claims are not ours', async () => {
    const keys = await JoseKeySet.hmac('HS256', secret('a'));
    const issuer = new JoseTokenIssuer(keys, OPTIONS, new FakeClock());
    const payload = decodeJwt((await issuer.issue(claims)).token);
    const header = { alg: 'HS256', typ: 'at+jwt', kid: keys.signing.kid };
    for (const bad of [{ sub: 'not-a-uuid' }, { ver: -1 }, { ver: 1.5 }, { sid: 'not-a-uuid' }, { sid: 7 }]) {
      const token = await new SignJWT({ ...payload, ...bad }).setProtectedHeader(header).sign(secret('a'));
      await expectRejection(issuer.verify(token), InvalidToken);
    }
  });
});
