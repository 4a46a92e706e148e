import { expect } from 'chai';
import {
  InvalidCursor,
  LastSuperuser,
  NotASuperuser,
  UserNotFound,
  WeakPassword,
  type User,
} from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, ORIGIN, useCaseWorld } from '../world.js';
import { fresh } from '../../support/requester.js';

const ROOT = { email: 'root@example.com', username: 'root', password: 'the operators own long secret' };

async function administeredWorld() {
  const world = useCaseWorld();
  expect(await world.ensureFirstSuperuser.execute(ROOT)).to.equal('created');
  const [root] = await world.users.list({ prefix: 'root@', limit: 1 });
  // Ids carry the registration time: a tick apart, the users list in the order they came.
  world.clock.advance(1);
  const alice = await world.register.execute(ALICE);
  return { world, root: root!, alice };
}

describe('Administration', () => {
  describe('only a superuser may', () => {
    it('refuses every administration use case to a plain user, and changes nothing', async () => {
      const { world, root, alice } = await administeredWorld();
      await expectRejection(world.listUsers.execute(alice, { limit: 20 }), NotASuperuser);
      await expectRejection(world.getUser.execute(alice, root.id), NotASuperuser);
      await expectRejection(world.updateUser.execute(fresh(alice, world.clock.now()), alice.id, { isSuperuser: true }), NotASuperuser);
      await expectRejection(world.deleteUser.execute(fresh(alice, world.clock.now()), root.id), NotASuperuser);
      await expectRejection(world.listUserSessions.execute(alice, root.id), NotASuperuser);
      await expectRejection(world.endUserSessions.execute(fresh(alice, world.clock.now()), root.id), NotASuperuser);
      await expectRejection(world.listAuditEvents.execute(alice, { limit: 20 }), NotASuperuser);
      expect(await world.users.findById(alice.id)).to.include({ isSuperuser: false });
      expect(await world.users.findById(root.id)).to.not.equal(undefined);
    });

    it('refuses a superuser who has been deactivated', async () => {
      const { world, root, alice } = await administeredWorld();
      const promoted = await world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { isSuperuser: true });
      const deactivated = await world.updateUser.execute(fresh(promoted, world.clock.now()), root.id, { isActive: false });
      await expectRejection(world.listUsers.execute(deactivated, { limit: 20 }), NotASuperuser);
    });
  });

  describe('ListUsers', () => {
    it('pages through every user with limit 2, none repeated, and finds one by a prefix in any case', async () => {
      const { world, root } = await administeredWorld();
      for (const name of ['bob', 'carol', 'dave']) {
        world.clock.advance(1);
        await world.register.execute({ email: `${name}@example.com`, username: name, password: ALICE.password });
      }

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await world.listUsers.execute(root, { limit: 2, cursor });
        expect(page.items.length).to.be.at.most(2);
        seen.push(...page.items.map((user) => user.username.value));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).to.deep.equal(['root', 'Alice', 'bob', 'carol', 'dave']);

      const found = await world.listUsers.execute(root, { limit: 20, q: 'CAR' });
      expect(found.items.map((user) => user.username.value)).to.deep.equal(['carol']);
      expect(found.nextCursor).to.equal(undefined);
    });

    it('refuses a cursor it did not hand out, or one from another search', async () => {
      const { world, root } = await administeredWorld();
      const first = await world.listUsers.execute(root, { limit: 1 });
      await expectRejection(world.listUsers.execute(root, { limit: 1, cursor: 'bm9wZQ' }), InvalidCursor);
      await expectRejection(world.listUsers.execute(root, { limit: 1, cursor: '%%%' }), InvalidCursor);
      await expectRejection(world.listUsers.execute(root, { limit: 1, cursor: first.nextCursor, q: 'a' }), InvalidCursor);
    });
  });

  describe('UpdateUser', () => {
    it('deactivates a user and ends their sessions at once, then reactivates', async () => {
      const { world, root, alice } = await administeredWorld();
      const { tokens } = await world.logIn.execute({ login: 'Alice', password: ALICE.password, origin: ORIGIN });

      const deactivated = await world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { isActive: false });

      expect(deactivated.isActive).to.equal(false);
      await expectRejection(world.authenticate.execute(tokens.accessToken.token), Error);
      expect(await world.sessions.listOpen(alice.id, world.clock.now())).to.deep.equal([]);
      const reactivated = await world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { isActive: true });
      expect(reactivated.isActive).to.equal(true);
      await world.logIn.execute({ login: 'Alice', password: ALICE.password, origin: ORIGIN });
    });

    it('sets a new password under the policy, refusing every earlier token', async () => {
      const { world, root, alice } = await administeredWorld();
      const { tokens } = await world.logIn.execute({ login: 'Alice', password: ALICE.password, origin: ORIGIN });
      await expectRejection(world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { password: 'short' }), WeakPassword);

      await world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { password: 'a brand new long secret' });

      await expectRejection(world.authenticate.execute(tokens.accessToken.token), Error);
      await world.logIn.execute({ login: 'Alice', password: 'a brand new long secret', origin: ORIGIN });
    });

    it('records who changed what, naming fields but never the password', async () => {
      const { world, root, alice } = await administeredWorld();
      await world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { password: 'a brand new long secret', isSuperuser: true }, ORIGIN);

      const { items } = await world.listAuditEvents.execute(root, { limit: 10, userId: alice.id, type: 'admin.user_updated' });
      expect(items).to.have.length(1);
      expect(items[0]).to.deep.include({ userId: alice.id, actorId: root.id, ip: ORIGIN.ip });
      expect(items[0]!.details).to.deep.include({ fields: ['password', 'is_superuser'], is_superuser: true });
      expect(JSON.stringify(items[0])).to.not.contain('brand new');
    });

    it('marks an address verified by hand, and records that it did', async () => {
      const { world, root, alice } = await administeredWorld();
      expect(alice.isVerified).to.equal(false);

      const verified = await world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { isVerified: true });

      expect(verified.isVerified).to.equal(true);
      expect((await world.users.findById(alice.id))?.isVerified).to.equal(true);
      const { items } = await world.listAuditEvents.execute(root, { limit: 10, userId: alice.id, type: 'admin.user_updated' });
      expect(items[0]!.details).to.deep.include({ fields: ['is_verified'] });
    });

    it('answers UserNotFound for an id that names nobody', async () => {
      const { world, root, alice } = await administeredWorld();
      await world.deleteUser.execute(fresh(root, world.clock.now()), alice.id);
      await expectRejection(world.updateUser.execute(fresh(root, world.clock.now()), alice.id, { isActive: false }), UserNotFound);
      await expectRejection(world.getUser.execute(root, alice.id), UserNotFound);
    });
  });

  describe('the last superuser', () => {
    it('cannot be demoted, deactivated or deleted by an administrator, itself, or the command line', async () => {
      const { world, root } = await administeredWorld();
      await expectRejection(world.updateUser.execute(fresh(root, world.clock.now()), root.id, { isSuperuser: false }), LastSuperuser);
      await expectRejection(world.updateUser.execute(fresh(root, world.clock.now()), root.id, { isActive: false }), LastSuperuser);
      await expectRejection(world.deleteUser.execute(fresh(root, world.clock.now()), root.id), LastSuperuser);
      await expectRejection(world.remove.execute(fresh(root, world.clock.now())), LastSuperuser);
      await expectRejection(world.setSuperuser.execute(ROOT.email, false), LastSuperuser);
      expect(await world.users.findById(root.id)).to.include({ isSuperuser: true, isActive: true });
    });

    it('can step down once another superuser exists', async () => {
      const { world, root } = await administeredWorld();
      await world.setSuperuser.execute(ALICE.email, true);
      const demoted = await world.updateUser.execute(fresh(root, world.clock.now()), root.id, { isSuperuser: false });
      expect(demoted.isSuperuser).to.equal(false);
    });
  });

  describe('EnsureFirstSuperuser', () => {
    it('creates the account once; a restart with the same configuration changes nothing', async () => {
      const world = useCaseWorld();
      expect(await world.ensureFirstSuperuser.execute(ROOT)).to.equal('created');
      expect(await world.ensureFirstSuperuser.execute(ROOT)).to.equal('exists');
      expect((await world.users.list({ limit: 10 })).length).to.equal(1);
    });

    it('never promotes an account that someone registered with that email first', async () => {
      const world = useCaseWorld();
      const squatter = await world.register.execute({ email: ROOT.email, username: 'squatter', password: ALICE.password });
      expect(await world.ensureFirstSuperuser.execute(ROOT)).to.equal('exists-not-superuser');
      expect(await world.users.findById(squatter.id)).to.include({ isSuperuser: false });
    });

    it('creates one account when several instances start at once', async () => {
      const world = useCaseWorld();
      const outcomes = await Promise.all([1, 2, 3].map(() => world.ensureFirstSuperuser.execute(ROOT)));
      expect(outcomes.filter((outcome) => outcome === 'created')).to.have.length(1);
      expect(outcomes.filter((outcome) => outcome === 'exists')).to.have.length(2);
      expect((await world.users.list({ limit: 10 })).length).to.equal(1);
    });

    it('applies the password policy to the configured password', async () => {
      const world = useCaseWorld();
      await expectRejection(world.ensureFirstSuperuser.execute({ ...ROOT, password: 'password123' }), WeakPassword);
    });
  });

  describe('sessions of another user', () => {
    it('lists and ends them, and the event names the administrator', async () => {
      const { world, root, alice } = await administeredWorld();
      const { tokens } = await world.logIn.execute({ login: 'Alice', password: ALICE.password, origin: ORIGIN });
      expect(await world.listUserSessions.execute(root, alice.id)).to.have.length(1);

      expect(await world.endUserSessions.execute(fresh(root, world.clock.now()), alice.id)).to.equal(1);

      expect(await world.listUserSessions.execute(root, alice.id)).to.deep.equal([]);
      await expectRejection(world.authenticate.execute(tokens.accessToken.token), Error);
      const mine = await world.listMyEvents.execute(alice as User, { limit: 10 });
      expect(mine.items.map((event) => [event.type, event.actorId])).to.deep.include(['session.ended', root.id]);
    });
  });
});
