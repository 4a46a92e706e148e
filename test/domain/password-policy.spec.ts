import { expect } from 'chai';
import { normalizePassword, PasswordPolicy, WeakPassword } from '../../domain/index.js';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy(new Set(['password1', 'qwertyuiop']));
  const context = { username: 'JohnDoe', email: 'john.smith@example.com' };

  it('returns the NFKC-normalized password to hash', () => {
    // Full-width digits and a decomposed "é" are what another keyboard may send for the same password.
    expect(policy.check('ｐａｓｓ１２３４５ｘ', context)).to.equal('pass12345x');
    expect(policy.check('cafe\u0301-latte-x', context)).to.equal(normalizePassword('café-latte-x'));
  });

  it('has no composition rules: a long lower-case passphrase is fine', () => {
    expect(policy.check('correct horse battery staple', context)).to.equal('correct horse battery staple');
  });

  it('counts characters, not bytes, for the minimum', () => {
    expect(policy.check('éééééééé', context)).to.equal('éééééééé');
    expect(() => policy.check('ééééééé', context)).to.throw(WeakPassword, /at least 8/);
  });

  it('refuses more than 72 UTF-8 bytes and names the limit, without truncating', () => {
    expect(policy.check('x'.repeat(72), context)).to.have.length(72);
    expect(() => policy.check('x'.repeat(73), context)).to.throw(WeakPassword, /72 bytes/);
    expect(() => policy.check('é'.repeat(37), context)).to.throw(WeakPassword, /72 bytes/);
  });

  it('refuses a common password in any case', () => {
    expect(() => policy.check('PassWord1', context)).to.throw(WeakPassword, /too common/);
  });

  it('refuses a password containing the username in any case', () => {
    expect(() => policy.check('my-johndoe-pass', context)).to.throw(WeakPassword, /username/);
  });

  it("refuses a password equal to or containing the email's local part", () => {
    expect(() => policy.check('xx-John.Smith-yy', context)).to.throw(WeakPassword, /email/);
    expect(() => policy.check('john.smith', context)).to.throw(WeakPassword, /email/);
  });

  it('only refuses equality for a very short local part, which would otherwise forbid most passwords', () => {
    const short = { username: 'someone', email: 'jo@example.com' };
    expect(policy.check('enjoy-the-silence', short)).to.equal('enjoy-the-silence');
    expect(() => new PasswordPolicy(new Set()).check('jo', short)).to.throw(WeakPassword);
  });

  it('says which field is weak', () => {
    expect(() => policy.check('short', context)).to.throw(WeakPassword).with.property('field', 'password');
  });
});
