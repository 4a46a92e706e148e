import { expect } from 'chai';
import { Passkey, WebAuthnChallenge, WEBAUTHN_CHALLENGE_TTL_MS } from '../../domain/index.js';

const T0 = new Date('2026-12-01T12:00:00.000Z');
const passkey = (counter: number) =>
  Passkey.register({ credentialId: 'Y3JlZA', userId: 'u1', publicKey: new Uint8Array([1]), counter, transports: [], deviceType: 'singleDevice', backedUp: false, createdAt: T0 });

describe('Passkey', () => {
  describe('use (the signature-counter rule)', () => {
    it('accepts a counter that moved forward, and keeps it with the last use', () => {
      const decision = passkey(5).use({ newCounter: 6, backedUp: true, now: T0 });
      expect(decision.outcome).to.equal('accept');
      expect([decision.passkey.counter, decision.passkey.backedUp, decision.passkey.lastUsedAt]).to.deep.equal([6, true, T0]);
    });

    it('refuses a counter that went backwards or stood still, when both are non-zero', () => {
      expect(passkey(5).use({ newCounter: 4, backedUp: false, now: T0 }).outcome).to.equal('counter_regressed');
      expect(passkey(5).use({ newCounter: 5, backedUp: false, now: T0 }).outcome).to.equal('counter_regressed');
    });

    it('accepts authenticators that keep no counter (0), and keeps a stored counter over a 0', () => {
      expect(passkey(0).use({ newCounter: 0, backedUp: true, now: T0 }).outcome).to.equal('accept');
      const decision = passkey(7).use({ newCounter: 0, backedUp: false, now: T0 });
      expect(decision.outcome).to.equal('accept');
      expect(decision.passkey.counter).to.equal(7);
    });
  });

  it('is named by the user, trimmed and bounded, or with a dated default', () => {
    expect(passkey(0).name).to.equal('Passkey added 2026-12-01');
    expect(passkey(0).renamed('  Phone  ').name).to.equal('Phone');
    expect(passkey(0).renamed('x'.repeat(300)).name).to.have.length(100);
    expect(passkey(0).renamed('   ').name).to.equal('Passkey added 2026-12-01');
  });
});

describe('WebAuthnChallenge', () => {
  it('admits only its own ceremony, its own user, within 5 minutes', () => {
    const challenge = WebAuthnChallenge.issue({ ceremony: 'registration', userId: 'u1', now: T0 });
    expect(challenge.challenge).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge.admits('registration', 'u1', T0)).to.equal(true);
    expect(challenge.admits('authentication', 'u1', T0)).to.equal(false);
    expect(challenge.admits('registration', 'u2', T0)).to.equal(false);
    expect(challenge.admits('registration', 'u1', new Date(T0.getTime() + WEBAUTHN_CHALLENGE_TTL_MS))).to.equal(false);
  });
});
