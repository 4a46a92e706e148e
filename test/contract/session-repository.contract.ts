import { createSecretKey, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { registeredUser } from './registered-user.js';
import type { RefreshTokenUse, SessionRepository } from '../../application/ports/session-repository.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { hashRefreshToken, newRefreshToken, newTimeOrderedId, PASSWORD_AND_OTP, Session, successorRefreshToken, type User } from '../../domain/index.js';

export interface SessionRepositoryUnderTest {
  readonly sessions: SessionRepository;
  /** The users the sessions belong to live in the same store. */
  readonly users: UserRepository;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const DAY = 86_400_000;
const later = (ms: number) => new Date(T0.getTime() + ms);
const KEY = createSecretKey(randomBytes(32));
const RULES = { lifetimeMs: DAY, reuseGraceMs: 10_000 };

/** The same specification for every `SessionRepository`: run unchanged on memory, PGlite and PostgreSQL. */
export function sessionRepositoryContract(name: string, factory: () => Promise<SessionRepositoryUnderTest>): void {
  describe(`${name} (SessionRepository contract)`, function () {
    let world: SessionRepositoryUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    const aUser = () => registeredUser(world.users, T0, 's');

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

    it('keeps how the session was authenticated (amr), through a rotation', async () => {
      const user = await aUser();
      const session = Session.open({ id: newTimeOrderedId(T0), user, now: T0, lifetimeMs: DAY, origin: {}, amr: PASSWORD_AND_OTP });
      const refresh = newRefreshToken();
      await world.sessions.open(session, refresh.hash);
      expect((await world.sessions.findWithUser(session.id))?.session.amr).to.deep.equal(['pwd', 'otp']);
      const successor = successorRefreshToken(refresh.token, KEY);
      const result = await world.sessions.useRefreshToken(refresh.hash, successor.hash, (use) => use.session.refresh(use, later(1000), RULES));
      expect(result?.decision.outcome).to.equal('rotate');
      expect((await world.sessions.findWithUser(session.id))?.session.amr).to.deep.equal(['pwd', 'otp']);
      expect((await world.sessions.listOpen(user.id, T0))[0]?.amr).to.deep.equal(['pwd', 'otp']);
    });

    it('keeps auth_time through a rotation, and records a reauthentication only for an open session of its user', async () => {
      const user = await aUser();
      const other = await registeredUser(world.users, T0, 'o');
      const { session, refresh } = await aSession(user);
      const successor = successorRefreshToken(refresh.token, KEY);
      await world.sessions.useRefreshToken(refresh.hash, successor.hash, (use) => use.session.refresh(use, later(60_000), RULES));
      expect((await world.sessions.findWithUser(session.id))?.session.authTime).to.deep.equal(T0);

      expect(await world.sessions.recordAuthentication(other.id, session.id, later(120_000), PASSWORD_AND_OTP)).to.equal(false);
      expect(await world.sessions.recordAuthentication(user.id, session.id, later(120_000), PASSWORD_AND_OTP)).to.equal(true);
      const found = (await world.sessions.findWithUser(session.id))?.session;
      expect(found?.authTime).to.deep.equal(later(120_000));
      expect(found?.amr).to.deep.equal(['pwd', 'otp']);
      expect(found?.createdAt).to.deep.equal(T0);
      await world.sessions.revoke(user.id, session.id, later(130_000));
      expect(await world.sessions.recordAuthentication(user.id, session.id, later(140_000), PASSWORD_AND_OTP)).to.equal(false);
    });

    it('finds nothing for an unknown or malformed id', async () => {
      expect(await world.sessions.findWithUser(newTimeOrderedId(T0))).to.equal(undefined);
      expect(await world.sessions.findWithUser('not-a-uuid')).to.equal(undefined);
    });

    // The domain's own rules decide, as in production; the store must hand them the right state and save the answer.
    async function refresh(token: string, at: Date) {
      const successor = successorRefreshToken(token, KEY);
      const result = await world.sessions.useRefreshToken(hashRefreshToken(token), successor.hash, (use) => use.session.refresh(use, at, RULES));
      return { outcome: result?.decision.outcome ?? 'unknown', successor: successor.token, result };
    }

    it('rotates a current refresh token once, extending the session', async () => {
      const user = await aUser();
      const { session, refresh: first } = await aSession(user);
      const rotation = await refresh(first.token, later(1000));
      expect(rotation.outcome).to.equal('rotate');
      expect(rotation.result?.user.id).to.equal(user.id);
      const stored = (await world.sessions.findWithUser(session.id))?.session;
      expect(stored?.lastUsedAt).to.deep.equal(later(1000));
      expect(stored?.expiresAt).to.deep.equal(later(DAY + 1000));
      expect((await refresh(rotation.successor, later(2000))).outcome).to.equal('rotate');
    });

    it('hands the decision the session, its user and the state of both tokens as stored at that moment', async () => {
      const user = await aUser();
      const { session, refresh: first } = await aSession(user);
      const seen: RefreshTokenUse[] = [];
      const look = async (token: string) => {
        const successor = successorRefreshToken(token, KEY);
        await world.sessions.useRefreshToken(hashRefreshToken(token), successor.hash, (use) => (seen.push(use), { outcome: 'refuse' }));
      };
      await look(first.token);
      const second = (await refresh(first.token, later(1000))).successor;
      await look(first.token);
      await refresh(second, later(2000));
      await look(first.token);
      expect(seen.map((use) => [use.presented.usedAt, use.successor?.usedAt, use.successor === undefined])).to.deep.equal([
        [undefined, undefined, true],
        [later(1000), undefined, false],
        [later(1000), later(2000), false],
      ]);
      expect(seen[0]?.session).to.deep.equal(session);
      expect(seen[0]?.user.id).to.equal(user.id);
    });

    it('saves nothing when the decision is grace or refuse', async () => {
      const user = await aUser();
      const { session, refresh: first } = await aSession(user);
      for (const outcome of ['grace', 'refuse'] as const) {
        const successor = successorRefreshToken(first.token, KEY);
        const renewed = new Session({ ...session, lastUsedAt: later(5), expiresAt: later(2 * DAY) });
        await world.sessions.useRefreshToken(hashRefreshToken(first.token), successor.hash, () =>
          outcome === 'grace' ? { outcome, session: renewed } : { outcome },
        );
      }
      expect((await world.sessions.findWithUser(session.id))?.session).to.deep.equal(session);
      expect((await refresh(first.token, later(10))).outcome).to.equal('rotate');
    });

    it('answers two concurrent refreshes with one token alike: one rotation, the others the same successor in grace', async () => {
      const user = await aUser();
      const { session, refresh: first } = await aSession(user);
      const answers = await Promise.all(Array.from({ length: 4 }, () => refresh(first.token, later(1000))));
      expect(answers.map((a) => a.outcome).sort()).to.deep.equal(['grace', 'grace', 'grace', 'rotate']);
      expect(new Set(answers.map((a) => a.successor)).size).to.equal(1);
      expect((await world.sessions.findWithUser(session.id))?.session.revokedAt).to.equal(undefined);
      expect((await refresh(answers[0]!.successor, later(2000))).outcome).to.equal('rotate');
    });

    it('keeps exactly one chain when two clients race with a token and its successor', async () => {
      const user = await aUser();
      const { session, refresh: first } = await aSession(user);
      const second = (await refresh(first.token, later(1000))).successor;
      // The successor's use and a replay of its parent race: whichever wins, the session must not survive both.
      const [replay, next] = await Promise.all([refresh(first.token, later(2000)), refresh(second, later(2000))]);
      const revoked = (await world.sessions.findWithUser(session.id))?.session.revokedAt;
      if (replay.outcome === 'reuse') expect(revoked).to.deep.equal(later(2000));
      else expect([replay.outcome, next.outcome, revoked]).to.deep.equal(['grace', 'rotate', undefined]);
    });

    it('ends the session when a spent token comes back after the grace, or after its successor was used', async () => {
      const user = await aUser();
      const late = await aSession(user);
      const lateNext = (await refresh(late.refresh.token, later(1000))).successor;
      expect((await refresh(late.refresh.token, later(1000 + RULES.reuseGraceMs))).outcome).to.equal('reuse');
      expect((await world.sessions.findWithUser(late.session.id))?.session.revokedAt).to.deep.equal(later(1000 + RULES.reuseGraceMs));
      expect((await refresh(lateNext, later(20_000))).outcome).to.equal('refuse');

      const moved = await aSession(user);
      const movedNext = (await refresh(moved.refresh.token, later(1000))).successor;
      expect((await refresh(movedNext, later(2000))).outcome).to.equal('rotate');
      expect((await refresh(moved.refresh.token, later(3000))).outcome).to.equal('reuse');
      expect((await world.sessions.findWithUser(moved.session.id))?.session.revokedAt).to.deep.equal(later(3000));
    });

    it('finds no session for an unknown token; refuses for an expired session and a revoked one', async () => {
      const user = await aUser();
      expect((await refresh('unknown', T0)).result).to.equal(undefined);
      const expired = await aSession(user);
      expect((await refresh(expired.refresh.token, later(DAY))).outcome).to.equal('refuse');
      const revoked = await aSession(user);
      await world.sessions.revoke(user.id, revoked.session.id, later(1));
      expect((await refresh(revoked.refresh.token, later(2))).outcome).to.equal('refuse');
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
      const { session, refresh: first } = await aSession(user);
      await world.users.remove(user.id);
      expect(await world.sessions.findWithUser(session.id)).to.equal(undefined);
      expect((await refresh(first.token, later(1))).result).to.equal(undefined);
    });

    it('purges sessions that ended before the cut-off, and spent tokens used before it, and nothing else', async () => {
      const user = await aUser();
      const expired = await aSession(user, T0);
      const revoked = await aSession(user, later(DAY / 2));
      await world.sessions.revoke(user.id, revoked.session.id, later(DAY / 2 + 1));
      const live = await aSession(user, later(DAY));
      const spent = live.refresh.token;
      const current = (await refresh(spent, later(DAY + 1))).successor;

      // At least these two: a store shared by the suite may hold other tests' ended sessions too.
      expect(await drain((limit) => world.sessions.purgeEnded(later(DAY + 2), limit), 1_000)).to.be.at.least(2);
      expect(await world.sessions.findWithUser(expired.session.id)).to.equal(undefined);
      expect(await world.sessions.findWithUser(revoked.session.id)).to.equal(undefined);
      expect((await world.sessions.findWithUser(live.session.id))?.session.id).to.equal(live.session.id);
      // The spent token is gone: replaying it now finds nothing, and the live session survives it.
      expect((await refresh(spent, later(DAY + 3))).result).to.equal(undefined);
      expect((await refresh(current, later(DAY + 4))).outcome).to.equal('rotate');
      await drain((limit) => world.sessions.purgeEnded(later(DAY + 5), limit), 1_000);
      expect((await world.sessions.findWithUser(live.session.id))?.session.revokedAt).to.equal(undefined);
    });

    it('purges a backlog in batches of at most the limit, sessions and spent tokens alike', async () => {
      // Batches of 10 for 25 ended sessions and 25 spent tokens: the purge must go round several times.
      const user = await aUser();
      const ended = await Promise.all(Array.from({ length: 25 }, () => aSession(user, T0)));
      const live = await aSession(user, later(DAY));
      const chain = [live.refresh.token];
      for (let i = 1; i <= 25; i += 1) {
        const step = await refresh(chain.at(-1)!, later(DAY + i));
        expect(step.outcome).to.equal('rotate');
        chain.push(step.successor);
      }

      const batches: number[] = [];
      expect(await drain((limit) => world.sessions.purgeEnded(later(DAY + 100), limit), 10, batches)).to.be.at.least(50);
      expect(Math.max(...batches)).to.be.at.most(10);
      for (const { session } of ended) expect(await world.sessions.findWithUser(session.id)).to.equal(undefined);
      // Every spent token is gone: a replay finds nothing, where one left behind would count as reuse.
      for (const spent of chain.slice(0, -1)) {
        expect((await refresh(spent, later(DAY + 200))).result).to.equal(undefined);
      }
      expect((await world.sessions.findWithUser(live.session.id))?.session.revokedAt).to.equal(undefined);
    });
  });
}

/** Runs one purge batch after another until one removes fewer than `limit`, as the housekeeping round does. */
async function drain(batch: (limit: number) => Promise<number>, limit: number, sizes: number[] = []): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await batch(limit);
    sizes.push(removed);
    total += removed;
    if (removed < limit) return total;
  }
}
