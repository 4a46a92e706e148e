import { expect } from 'chai';
import { OtpauthTotp } from '../../../adapters/otpauth/otpauth-totp.js';

// RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII "12345678901234567890"; a 6-digit code is the last six
// digits of the 8-digit one given there (RFC 4226 §5.3 truncates modulo 10^digits).
const RFC_SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('OtpauthTotp', () => {
  const totp = new OtpauthTotp('auth-service');

  for (const [seconds, code] of RFC_VECTORS) {
    it(`yields the RFC 6238 code ${code} at T = ${seconds} s and matches it to its step`, () => {
      const at = new Date(seconds * 1000);
      expect(totp.generate(RFC_SEED_BASE32, at)).to.equal(code);
      expect(totp.matchStep(RFC_SEED_BASE32, code, at)).to.equal(Math.floor(seconds / 30));
    });
  }

  it('accepts one step of drift either way and refuses two', () => {
    const secret = totp.newSecret();
    const now = new Date('2026-11-24T10:00:10.000Z');
    const step = Math.floor(now.getTime() / 30_000);
    const codeAt = (offset: number) => totp.generate(secret, new Date(now.getTime() + offset * 30_000));
    expect(totp.matchStep(secret, codeAt(-1), now)).to.equal(step - 1);
    expect(totp.matchStep(secret, codeAt(1), now)).to.equal(step + 1);
    // A code of two steps away could collide with a nearer one by chance (1 in 10^6 each): compare the step.
    expect(totp.matchStep(secret, codeAt(-2), now)).to.not.equal(step - 2);
    expect(totp.matchStep(secret, codeAt(2), now)).to.not.equal(step + 2);
  });

  it('refuses a wrong code and anything that is not six digits', () => {
    const now = new Date(59_000);
    expect(totp.matchStep(RFC_SEED_BASE32, '287083', now)).to.equal(undefined);
    expect(totp.matchStep(RFC_SEED_BASE32, '94287082', now)).to.equal(undefined);
    expect(totp.matchStep(RFC_SEED_BASE32, '', now)).to.equal(undefined);
  });

  it('makes 160-bit base32 secrets, a new one each time', () => {
    const secret = totp.newSecret();
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    expect(totp.newSecret()).to.not.equal(secret);
  });

  it('writes an otpauth URI with the issuer, the account and the RFC 6238 defaults', () => {
    const uri = new URL(totp.keyUri(RFC_SEED_BASE32, 'alice'));
    expect(uri.protocol).to.equal('otpauth:');
    expect(uri.host).to.equal('totp');
    expect(decodeURIComponent(uri.pathname)).to.equal('/auth-service:alice');
    expect(Object.fromEntries(uri.searchParams)).to.include({ secret: RFC_SEED_BASE32, issuer: 'auth-service', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});
