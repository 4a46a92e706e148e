import { createSecretKey, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  hashRefreshToken,
  newRefreshToken,
  newTimeOrderedId,
  newUserId,
  Session,
  successorRefreshToken,
  type RefreshAttempt,
  type RefreshTokenState,
} from '../../domain/index.js';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const RULES = { lifetimeMs: DAY, reuseGraceMs: 10_000 };

describe('Session.refresh', () => {
  const user = { id: newUserId(T0), tokenVersion: 0, isActive: true };
  const session = Session.open({ id: newTimeOrderedId(T0), user, now: T0, lifetimeMs: DAY, origin: { ip: '203.0.113.5' } });
  const current: RefreshTokenState = { usedAt: undefined };
  const spentAt = (ms: number): RefreshTokenState => ({ usedAt: at(ms) });
  const attempt = (presented: RefreshTokenState, successor?: RefreshTokenState, who = user): RefreshAttempt => ({ user: who, presented, successor });

  it('rotates a current token: the session lives on for another lifetime from now, nothing else changes', () => {
    const decision = session.refresh(attempt(current), at(1000), RULES);
    expect(decision.outcome).to.equal('rotate');
    if (decision.outcome !== 'rotate') return;
    expect(decision.session).to.deep.equal(new Session({ ...session, lastUsedAt: at(1000), expiresAt: at(DAY + 1000) }));
  });

  it('answers a spent token within the grace with its successor while that is unused, changing nothing', () => {
    expect(session.refresh(attempt(spentAt(1000), current), at(1000), RULES)).to.deep.equal({ outcome: 'grace', session });
    expect(session.refresh(attempt(spentAt(1000), current), at(1000 + RULES.reuseGraceMs - 1), RULES).outcome).to.equal('grace');
  });

  it('forgives a rotation stamped by a clock running ahead (another instance) by less than the grace, not more', () => {
    expect(session.refresh(attempt(spentAt(5000), current), at(1000), RULES).outcome).to.equal('grace');
    expect(session.refresh(attempt(spentAt(1000 + RULES.reuseGraceMs), current), at(1000), RULES).outcome).to.equal('reuse');
  });

  it('ends the session for a spent token once the grace is over', () => {
    const decision = session.refresh(attempt(spentAt(1000), current), at(1000 + RULES.reuseGraceMs), RULES);
    expect(decision).to.deep.equal({ outcome: 'reuse', session: new Session({ ...session, revokedAt: at(1000 + RULES.reuseGraceMs) }) });
  });

  it('ends the session for a spent token whose successor was used, even within the grace', () => {
    const decision = session.refresh(attempt(spentAt(1000), spentAt(2000)), at(3000), RULES);
    expect(decision.outcome).to.equal('reuse');
    if (decision.outcome === 'reuse') expect(decision.session.revokedAt).to.deep.equal(at(3000));
  });

  it('has no grace at all when the grace is 0', () => {
    expect(session.refresh(attempt(spentAt(1000), current), at(1000), { ...RULES, reuseGraceMs: 0 }).outcome).to.equal('reuse');
    expect(session.refresh(attempt(spentAt(5000), current), at(1000), { ...RULES, reuseGraceMs: 0 }).outcome).to.equal('reuse');
  });

  it('ends the session on a replay whatever the state of its user', () => {
    expect(session.refresh(attempt(spentAt(1000), current, { ...user, isActive: false }), at(60_000), RULES).outcome).to.equal('reuse');
  });

  it('refuses within the grace when the store holds no successor (derived under a key since rotated)', () => {
    expect(session.refresh(attempt(spentAt(1000), undefined), at(2000), RULES)).to.deep.equal({ outcome: 'refuse' });
  });

  it('refuses, changing nothing, for a revoked or expired session, even on a replay', () => {
    const revoked = new Session({ ...session, revokedAt: at(1) });
    expect(revoked.refresh(attempt(current), at(2), RULES).outcome).to.equal('refuse');
    expect(revoked.refresh(attempt(spentAt(0)), at(DAY / 2), RULES).outcome).to.equal('refuse');
    expect(session.refresh(attempt(current), at(DAY), RULES).outcome).to.equal('refuse');
    expect(session.refresh(attempt(spentAt(0)), at(DAY), RULES).outcome).to.equal('refuse');
  });

  it('refuses a current token for an inactive user, after a password change, and for another user', () => {
    expect(session.refresh(attempt(current, undefined, { ...user, isActive: false }), at(1), RULES).outcome).to.equal('refuse');
    expect(session.refresh(attempt(current, undefined, { ...user, tokenVersion: 1 }), at(1), RULES).outcome).to.equal('refuse');
    expect(session.refresh(attempt(current, undefined, { ...user, id: newUserId(T0) }), at(1), RULES).outcome).to.equal('refuse');
    expect(session.refresh(attempt(spentAt(0), current, { ...user, tokenVersion: 1 }), at(1), RULES).outcome).to.equal('refuse');
  });
});

describe('successorRefreshToken', () => {
  const key = createSecretKey(randomBytes(32));

  it('derives the same successor from the same token and key, shaped like any refresh token', () => {
    const { token } = newRefreshToken();
    const successor = successorRefreshToken(token, key);
    expect(successorRefreshToken(token, key)).to.deep.equal(successor);
    expect(successor.token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(successor.hash).to.equal(hashRefreshToken(successor.token));
  });

  it('derives unrelated successors from another token or under another key', () => {
    const { token } = newRefreshToken();
    const successor = successorRefreshToken(token, key).token;
    expect(successorRefreshToken(newRefreshToken().token, key).token).not.to.equal(successor);
    expect(successorRefreshToken(token, createSecretKey(randomBytes(32))).token).not.to.equal(successor);
    expect(successor).not.to.equal(token);
  });
});
