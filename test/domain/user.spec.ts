import { expect } from 'chai';
import { Email, isUserId, newUserId, User, Username } from '../../domain/index.js';

describe('User', () => {
  const now = new Date('2026-11-24T10:00:00.000Z');
  const later = new Date('2026-11-24T11:00:00.000Z');
  const user = User.register({ id: newUserId(now), email: Email.parse('a@example.com'), username: Username.parse('alice'), passwordHash: 'h1', now });

  it('registers active, at token version 0, created and updated now', () => {
    expect(user).to.include({ isActive: true, tokenVersion: 0, passwordHash: 'h1' });
    expect(user.createdAt).to.equal(now);
    expect(user.updatedAt).to.equal(now);
  });

  it('returns a new value for each change and leaves the original alone', () => {
    const renamed = user.withUsername(Username.parse('alicia'), later).withEmail(Email.parse('b@example.com'), later);
    expect(renamed.username.value).to.equal('alicia');
    expect(renamed.email.value).to.equal('b@example.com');
    expect(renamed.updatedAt).to.equal(later);
    expect(renamed.createdAt).to.equal(now);
    expect(renamed.tokenVersion).to.equal(0);
    expect(user.username.value).to.equal('alice');
  });

  it('registers unverified, and a changed address is unverified again', () => {
    expect(user.isVerified).to.equal(false);
    const verified = user.withVerifiedEmail(user.email, later);
    expect(verified.isVerified).to.equal(true);
    expect(verified.withEmail(Email.parse('b@example.com'), later).isVerified).to.equal(false);
    expect(verified.withEmail(user.email, later)).to.equal(verified);
  });

  it('puts a reverted address back verified and ends every session', () => {
    const moved = user.withEmail(Email.parse('thief@example.com'), later);
    const reverted = moved.withRevertedEmail(user.email, later);
    expect(reverted.email.value).to.equal('a@example.com');
    expect(reverted).to.include({ isVerified: true, tokenVersion: 1 });
  });

  it('bumps the token version when the password changes', () => {
    const changed = user.withPassword('h2', later);
    expect(changed).to.include({ passwordHash: 'h2', tokenVersion: 1 });
    expect(changed.withPassword('h3', later).tokenVersion).to.equal(2);
  });
});

describe('newUserId', () => {
  it('makes a UUIDv7 whose first 48 bits are the time in milliseconds', () => {
    const now = new Date('2026-11-24T10:00:00.000Z');
    const id = newUserId(now);
    expect(isUserId(id)).to.equal(true);
    expect(id[14]).to.equal('7');
    expect('89ab').to.include(id[19]!);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).to.equal(now.getTime());
  });

  it('makes ids that sort by time and never repeat', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newUserId(new Date(1_800_000_000_000 + i)));
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(1000);
  });

  it('tells a UUID from anything else', () => {
    expect(isUserId('not-a-uuid')).to.equal(false);
    expect(isUserId('0193B6C2-0000-7000-8000-000000000000')).to.equal(false);
  });
});
