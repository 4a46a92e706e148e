import { expect } from 'chai';
import {
  hashMfaToken,
  hashRecoveryCode,
  looksLikeTotpCode,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  MfaChallenge,
  newRecoveryCodes,
  TotpFactor,
} from '../../domain/index.js';

const NOW = new Date('2026-11-24T10:00:00.000Z');

describe('Recovery codes', () => {
  it('are ten distinct codes of 16 base32 characters (80 bits), hashed one to one', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    for (const code of codes) expect(code.replaceAll('-', '')).to.match(/^[a-z2-7]{16}$/);
    expect(hashes).to.deep.equal(codes.map(hashRecoveryCode));
    expect(hashes.every((hash) => /^[0-9a-f]{64}$/.test(hash))).to.equal(true);
  });

  it('hash the same however they are typed: case, spaces and dashes aside', () => {
    expect(hashRecoveryCode(' ABCD efgh-ijkl-MNOP ')).to.equal(hashRecoveryCode('abcd-efgh-ijkl-mnop'));
    expect(hashRecoveryCode('abcd-efgh-ijkl-mnoq')).to.not.equal(hashRecoveryCode('abcd-efgh-ijkl-mnop'));
  });
});

describe('TotpFactor', () => {
  it('is pending when enrolled, and accepts only steps after the last one', () => {
    const factor = TotpFactor.enrol({ userId: 'u', sealedSecret: 'v1.x', now: NOW });
    expect(factor.isConfirmed).to.equal(false);
    expect(factor.acceptsStep(0)).to.equal(true);
    const used = new TotpFactor({ ...factor, confirmedAt: NOW, lastStep: 100 });
    expect([used.acceptsStep(99), used.acceptsStep(100), used.acceptsStep(101)]).to.deep.equal([false, false, true]);
  });

  it('tells a six-digit code, spaces forgiven, from a recovery code', () => {
    expect(['123456', '123 456', ' 000001 '].map(looksLikeTotpCode)).to.deep.equal([true, true, true]);
    expect(['12345', '1234567', 'abcd-efgh-ijkl-mnop', ''].map(looksLikeTotpCode)).to.deep.equal([false, false, false, false]);
  });
});

describe('MfaChallenge', () => {
  it('is named by an opaque token, stored only as its hash', () => {
    const { challenge, token } = MfaChallenge.issue({ userId: 'u', tokenVersion: 0, ip: '192.0.2.1', now: NOW });
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(token.split('.')).to.have.length(1); // not a JWT: nothing that could pass as a bearer token
    expect(challenge.tokenHash).to.equal(hashMfaToken(token));
    expect(challenge.tokenHash).to.not.include(token);
  });

  it('admits tries from its address for 5 minutes, up to its budget of attempts', () => {
    const { challenge } = MfaChallenge.issue({ userId: 'u', tokenVersion: 0, ip: '192.0.2.1', now: NOW });
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    const tried = (attempts: number) => new MfaChallenge({ ...challenge, attempts });
    expect(tried(1).admits('192.0.2.1', at(0))).to.equal(true);
    expect(tried(1).admits('192.0.2.2', at(0))).to.equal(false);
    expect(tried(1).admits('192.0.2.1', at(5 * 60_000 - 1))).to.equal(true);
    expect(tried(1).admits('192.0.2.1', at(5 * 60_000))).to.equal(false);
    expect(tried(MFA_CHALLENGE_MAX_ATTEMPTS).admits('192.0.2.1', at(0))).to.equal(true);
    expect(tried(MFA_CHALLENGE_MAX_ATTEMPTS + 1).admits('192.0.2.1', at(0))).to.equal(false);
  });
});
