import { expect } from 'chai';
import { Email, InvalidEmail } from '../../domain/index.js';

describe('Email', () => {
  it('is trimmed and lower-cased, so two spellings are one address', () => {
    const email = Email.parse('  John.Doe@Example.COM ');
    expect(email.value).to.equal('john.doe@example.com');
    expect(email.equals(Email.parse('john.doe@example.com'))).to.equal(true);
    expect(String(email)).to.equal('john.doe@example.com');
  });

  it('knows its local part', () => {
    expect(Email.parse('a.b@c.example').localPart).to.equal('a.b');
  });

  it('accepts exactly 254 characters and refuses 255', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
    expect(at254).to.have.length(254);
    expect(Email.parse(at254).value).to.equal(at254);
    expect(() => Email.parse(`a${at254}`)).to.throw(InvalidEmail, /254/);
  });

  for (const bad of ['', 'plain', '@example.com', 'a@', 'a@b', 'a b@example.com', 'a@@example.com', 'a@exa mple.com', 'a\u0000@example.com']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => Email.parse(bad)).to.throw(InvalidEmail).with.property('field', 'email');
    });
  }
});
