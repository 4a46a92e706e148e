import { createSecretKey, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { MailOutbox } from '../../application/ports/mail-outbox.js';
import type { OneTimeTokenStore } from '../../application/ports/one-time-token-store.js';
import type { SessionRepository } from '../../application/ports/session-repository.js';
import type { UnitOfWork } from '../../application/ports/unit-of-work.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { Email, EmailTaken, newOneTimeToken, newRefreshToken, newTimeOrderedId, newUserId, Session, successorRefreshToken, User, Username } from '../../domain/index.js';

export interface UnitOfWorkUnderTest {
  readonly unitOfWork: UnitOfWork;
  /** The same stores, outside any run, to look at what a run left. */
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly oneTimeTokens: OneTimeTokenStore;
  readonly outbox: MailOutbox;
  /** How many times the unit of work reported committed mail. */
  mailCommitted(): number;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const HOUR = 3_600_000;

/** The same specification for every `UnitOfWork`: all of a run's changes, or none. */
export function unitOfWorkContract(name: string, factory: () => Promise<UnitOfWorkUnderTest>): void {
  describe(`${name} (UnitOfWork contract)`, function () {
    let world: UnitOfWorkUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    function aUser(email?: string): User {
      const tag = randomBytes(5).toString('hex');
      return User.register({ id: newUserId(T0), email: Email.parse(email ?? `u-${tag}@example.com`), username: Username.parse(`u_${tag}`), passwordHash: 'h', now: T0 });
    }

    async function withSession(user: User) {
      await world.users.add(user);
      const session = Session.open({ id: newTimeOrderedId(T0), user, now: T0, lifetimeMs: HOUR, origin: {} });
      await world.sessions.open(session, newRefreshToken().hash);
      return session;
    }

    /** One change to every store, as a use case would make. */
    async function changeEverything(stores: Parameters<Parameters<UnitOfWork['run']>[0]>[0], existing: User, added: User) {
      await stores.users.add(added);
      await stores.users.update(existing.withPassword('new-hash', T0));
      await stores.sessions.revokeAll(existing.id, T0);
      const token = newOneTimeToken({ purpose: 'reset_password', userId: existing.id, email: existing.email, createdAt: T0, expiresAt: new Date(T0.getTime() + HOUR) });
      await stores.oneTimeTokens.add(token.record);
      const mailId = newTimeOrderedId(T0);
      await stores.outbox.enqueue({ id: mailId, kind: 'reset_password', to: existing.email.value, params: {}, sealedToken: 's', createdAt: T0, deadline: new Date(T0.getTime() + HOUR) });
      return { tokenHash: token.record.hash, mailId };
    }

    it('keeps every change of a run that resolves, and returns its value', async () => {
      const existing = aUser();
      await withSession(existing);
      const added = aUser();

      const { tokenHash } = await world.unitOfWork.run((stores) => changeEverything(stores, existing, added));

      expect((await world.users.findById(added.id))?.id).to.equal(added.id);
      expect((await world.users.findById(existing.id))?.passwordHash).to.equal('new-hash');
      expect(await world.sessions.listOpen(existing.id, T0)).to.deep.equal([]);
      expect(await world.oneTimeTokens.find(tokenHash, ['reset_password'], T0)).not.to.equal(undefined);
      expect(await world.outbox.pendingCount()).to.be.at.least(1);
      expect(world.mailCommitted()).to.equal(1);
    });

    it('changes nothing when the run rejects, and rethrows its error unchanged', async () => {
      const existing = aUser();
      const session = await withSession(existing);
      const added = aUser();
      const pendingBefore = await world.outbox.pendingCount();
      const failure = new Error('the use case changed its mind');
      let tokenHash = '';

      const error = await world.unitOfWork
        .run(async (stores) => {
          ({ tokenHash } = await changeEverything(stores, existing, added));
          throw failure;
        })
        .catch((caught: unknown) => caught);

      expect(error).to.equal(failure);
      expect(await world.users.findById(added.id)).to.equal(undefined);
      expect((await world.users.findById(existing.id))?.passwordHash).to.equal('h');
      expect((await world.sessions.listOpen(existing.id, T0)).map((s) => s.id)).to.deep.equal([session.id]);
      expect(await world.oneTimeTokens.find(tokenHash, ['reset_password'], T0)).to.equal(undefined);
      expect(await world.outbox.pendingCount()).to.equal(pendingBefore);
      expect(world.mailCommitted()).to.equal(0);
    });

    it('rolls back what came before a store refused a change, and reports the domain error', async () => {
      const owner = aUser();
      await world.users.add(owner);
      const first = aUser();

      const error = await world.unitOfWork
        .run(async (stores) => {
          await stores.users.add(first);
          await stores.users.add(aUser(owner.email.value));
        })
        .catch((caught: unknown) => caught);

      expect(error).to.be.instanceOf(EmailTaken);
      expect(await world.users.findById(first.id)).to.equal(undefined);
    });

    it('lets a run use every store method, those that take several statements included', async () => {
      const user = aUser();
      await world.users.add(user);
      const session = Session.open({ id: newTimeOrderedId(T0), user, now: T0, lifetimeMs: HOUR, origin: {} });
      const refresh = newRefreshToken();

      await world.unitOfWork.run(async (stores) => {
        await stores.sessions.open(session, refresh.hash);
        const successor = successorRefreshToken(refresh.token, createSecretKey(randomBytes(32)));
        const rules = { lifetimeMs: HOUR, reuseGraceMs: 10_000 };
        const used = await stores.sessions.useRefreshToken(refresh.hash, successor.hash, (use) => use.session.refresh(use, T0, rules));
        expect(used?.decision.outcome).to.equal('rotate');
      });

      expect((await world.sessions.listOpen(user.id, T0)).map((s) => s.id)).to.deep.equal([session.id]);
    });

    it('runs units that overlap in time each whole', async () => {
      const users = Array.from({ length: 4 }, () => aUser());
      await Promise.all(users.map((user) => world.unitOfWork.run(async (stores) => stores.users.add(user))));
      for (const user of users) expect((await world.users.findById(user.id))?.id).to.equal(user.id);
    });
  });
}
