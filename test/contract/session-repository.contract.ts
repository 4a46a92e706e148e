import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { SessionRepository } from '../../application/ports/session-repository.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { Email, hashRefreshToken, newRefreshToken, newTimeOrderedId, newUserId, Session, User, Username } from '../../domain/index.js';

export interface SessionRepositoryUnderTest {
  readonly sessions: SessionRepository;
  /** The users the sessions belong to live in the same store. */
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const DAY = 86_400_000;
const later = (ms: number) => new Date(T0.getTime() + ms);

/** The same specification for every `SessionRepository`: run unchanged on memory, PGlite and PostgreSQL. */
export function sessionRepositoryContract(name: string, factory: () => Promise<SessionRepositoryUnderTest>): void {
  describe(`${name} (SessionRepository contract)`, function () {
    let world: SessionRepositoryUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    async function aUser(): Promise<User> {
      const tag = randomBytes(5).toString('hex');
      const user = User.register({ id: newUserId(T0), email: Email.parse(`s-${tag}@example.com`), username: Username.parse(`s_${tag}`), passwordHash: 'h', now: T0 });
      await world.users.add(user);
      return user;
    }

    async function aSession(user: User, at = T0, origin = { ip: '203.0.113.5', userAgent: 'agent/1' }) {
      const session = Session.open({ id: newTimeOrderedId(at), user, now: at, lifetimeMs: DAY, origin });
      const refresh = newRefreshToken();
      await world.sessions.open(session, refresh.hash);
      return { session, refresh };
    }

    it('finds an opened session with its user in one call, fields intact', async () => {
      const user = await aUser();
      const { session } = await aSession(user);
      const found = await world.sessions.findWithUser(session.id);
      expect(found?.user.id).to.equal(user.id);
      expect(found?.session).to.deep.equal(session);
    });

    it('finds nothing for an unknown or malformed id', async () => {
      expect(await world.sessions.findWithUser(newTimeOrderedId(T0))).to.equal(undefined);
      expect(await world.sessions.findWithUser('not-a-uuid')).to.equal(undefined);
    });

    it('rotates a current refresh token once, extending the session', async () => {
      const user = await aUser();
      const { session, refresh } = await aSession(user);
      const next = newRefreshToken();
      const rotation = await world.sessions.rotateRefreshToken(refresh.hash, next.hash, later(1000), later(DAY + 1000));
      expect(rotation.outcome).to.equal('rotated');
      if (rotation.outcome !== 'rotated') return;
      expect(rotation.session.id).to.equal(session.id);
      expect(rotation.session.lastUsedAt).to.deep.equal(later(1000));
      expect(rotation.session.expiresAt).to.deep.equal(later(DAY + 1000));
      expect(rotation.user.id).to.equal(user.id);
      expect((await world.sessions.findWithUser(session.id))?.session.expiresAt).to.deep.equal(later(DAY + 1000));
      const again = await world.sessions.rotateRefreshToken(next.hash, newRefreshToken().hash, later(2000), later(DAY + 2000));
      expect(again.outcome).to.equal('rotated');
    });

    it('revokes the session when a spent refresh token is presented again', async () => {
      const user = await aUser();
      const { session, refresh } = await aSession(user);
      const next = newRefreshToken();
      await world.sessions.rotateRefreshToken(refresh.hash, next.hash, later(1000), later(DAY));
      expect((await world.sessions.rotateRefreshToken(refresh.hash, newRefreshToken().hash, later(2000), later(DAY))).outcome).to.equal('reused');
      expect((await world.sessions.findWithUser(session.id))?.session.revokedAt).to.deep.equal(later(2000));
      expect((await world.sessions.rotateRefreshToken(next.hash, newRefreshToken().hash, later(3000), later(DAY))).outcome).to.equal('invalid');
    });

    it('lets exactly one of several concurrent rotations of one token win', async () => {
      const user = await aUser();
      const { refresh } = await aSession(user);
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => world.sessions.rotateRefreshToken(refresh.hash, newRefreshToken().hash, later(1000), later(DAY))),
      );
      expect(outcomes.filter((o) => o.outcome === 'rotated')).to.have.length(1);
      expect(outcomes.filter((o) => o.outcome === 'reused')).to.have.length(4);
    });

    it('answers invalid for an unknown token, an expired session and a revoked one', async () => {
      const user = await aUser();
      expect((await world.sessions.rotateRefreshToken(hashRefreshToken('unknown'), newRefreshToken().hash, T0, later(DAY))).outcome).to.equal('invalid');
      const expired = await aSession(user);
      expect((await world.sessions.rotateRefreshToken(expired.refresh.hash, newRefreshToken().hash, later(DAY), later(2 * DAY))).outcome).to.equal('invalid');
      const revoked = await aSession(user);
      await world.sessions.revoke(user.id, revoked.session.id, later(1));
      expect((await world.sessions.rotateRefreshToken(revoked.refresh.hash, newRefreshToken().hash, later(2), later(DAY))).outcome).to.equal('invalid');
    });

    it('lists open sessions of one user newest first, without revoked or expired ones', async () => {
      const user = await aUser();
      const other = await aUser();
      const first = await aSession(user, T0);
      const second = await aSession(user, later(1000), { ip: '198.51.100.1', userAgent: 'agent/2' });
      const gone = await aSession(user, later(2000));
      await aSession(other);
      await world.sessions.revoke(user.id, gone.session.id, later(3000));
      const listed = await world.sessions.listOpen(user.id, later(4000));
      expect(listed.map((s) => s.id)).to.deep.equal([second.session.id, first.session.id]);
      expect(listed[0]).to.deep.include({ ip: '198.51.100.1', userAgent: 'agent/2' });
      expect(await world.sessions.listOpen(user.id, later(DAY + 1000))).to.deep.equal([]);
    });

    it("revokes one session only for its own user, and only once", async () => {
      const user = await aUser();
      const other = await aUser();
      const { session } = await aSession(user);
      expect(await world.sessions.revoke(other.id, session.id, later(1))).to.equal(false);
      expect(await world.sessions.revoke(user.id, session.id, later(1))).to.equal(true);
      expect(await world.sessions.revoke(user.id, session.id, later(2))).to.equal(false);
      expect(await world.sessions.revoke(user.id, 'not-a-uuid', later(2))).to.equal(false);
    });

    it('revokes every open session of a user and no one else\'s', async () => {
      const user = await aUser();
      const other = await aUser();
      await aSession(user);
      await aSession(user);
      const kept = await aSession(other);
      expect(await world.sessions.revokeAll(user.id, later(1))).to.equal(2);
      expect(await world.sessions.listOpen(user.id, later(2))).to.deep.equal([]);
      expect((await world.sessions.listOpen(other.id, later(2))).map((s) => s.id)).to.deep.equal([kept.session.id]);
    });

    it('forgets the sessions of a deleted user', async () => {
      const user = await aUser();
      const { session, refresh } = await aSession(user);
      await world.users.remove(user.id);
      expect(await world.sessions.findWithUser(session.id)).to.equal(undefined);
      expect((await world.sessions.rotateRefreshToken(refresh.hash, newRefreshToken().hash, later(1), later(DAY))).outcome).to.equal('invalid');
    });

    it('purges sessions that ended before the cut-off, and spent tokens used before it, and nothing else', async () => {
      const user = await aUser();
      const expired = await aSession(user, T0);
      const revoked = await aSession(user, later(DAY / 2));
      await world.sessions.revoke(user.id, revoked.session.id, later(DAY / 2 + 1));
      const live = await aSession(user, later(DAY));
      const spent = live.refresh;
      const current = newRefreshToken();
      await world.sessions.rotateRefreshToken(spent.hash, current.hash, later(DAY + 1), later(2 * DAY));

      // At least these two: a store shared by the suite may hold other tests' ended sessions too.
      expect(await world.sessions.purgeEnded(later(DAY + 2))).to.be.at.least(2);
      expect(await world.sessions.findWithUser(expired.session.id)).to.equal(undefined);
      expect(await world.sessions.findWithUser(revoked.session.id)).to.equal(undefined);
      expect((await world.sessions.findWithUser(live.session.id))?.session.id).to.equal(live.session.id);
      // The spent token is gone: replaying it is now simply invalid, and the live session survives it.
      expect((await world.sessions.rotateRefreshToken(spent.hash, newRefreshToken().hash, later(DAY + 3), later(2 * DAY))).outcome).to.equal('invalid');
      expect((await world.sessions.rotateRefreshToken(current.hash, newRefreshToken().hash, later(DAY + 4), later(2 * DAY))).outcome).to.equal('rotated');
      await world.sessions.purgeEnded(later(DAY + 5));
      expect((await world.sessions.findWithUser(live.session.id))?.session.revokedAt).to.equal(undefined);
    });

    it('purges a backlog larger than one batch, sessions and spent tokens alike', async () => {
      // 25 exceeds the purge batch the SQL adapters' suites configure (10), so the purge must go round again.
      const user = await aUser();
      const ended = await Promise.all(Array.from({ length: 25 }, () => aSession(user, T0)));
      const live = await aSession(user, later(DAY));
      const chain = [live.refresh.hash];
      for (let i = 1; i <= 25; i += 1) {
        const next = newRefreshToken().hash;
        expect((await world.sessions.rotateRefreshToken(chain.at(-1)!, next, later(DAY + i), later(2 * DAY))).outcome).to.equal('rotated');
        chain.push(next);
      }

      expect(await world.sessions.purgeEnded(later(DAY + 100))).to.be.at.least(25);
      for (const { session } of ended) expect(await world.sessions.findWithUser(session.id)).to.equal(undefined);
      // Every spent token is gone: a replay is simply invalid, where one left behind would count as reuse.
      for (const spent of chain.slice(0, -1)) {
        expect((await world.sessions.rotateRefreshToken(spent, newRefreshToken().hash, later(DAY + 200), later(2 * DAY))).outcome).to.equal('invalid');
      }
      expect((await world.sessions.findWithUser(live.session.id))?.session.revokedAt).to.equal(undefined);
    });
  });
}
