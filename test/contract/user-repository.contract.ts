import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  assertKeepsASuperuser,
  Email,
  EmailTaken,
  LastSuperuser,
  User,
  Username,
  UsernameTaken,
  newUserId,
} from '../../domain/index.js';
import type { UserRepository } from '../../application/ports/user-repository.js';

export interface UserRepositoryUnderTest {
  readonly repository: UserRepository;
  close(): Promise<void>;
}

const REGISTERED_AT = new Date('2026-11-24T10:00:00.123Z');

/**
 * Every name is unique to its test, so adapters may share one database across the suite and tests still
 * cannot see each other's users.
 */
function uniqueTag(): string {
  return randomBytes(5).toString('hex');
}

function aUser(overrides: { email?: string; username?: string; now?: Date } = {}): User {
  const tag = uniqueTag();
  const now = overrides.now ?? REGISTERED_AT;
  return User.register({
    id: newUserId(now),
    email: Email.parse(overrides.email ?? `user-${tag}@example.com`),
    username: Username.parse(overrides.username ?? `User_${tag}`),
    passwordHash: `$2b$12$hash-of-${tag}`,
    now,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export function userRepositoryContract(name: string, factory: () => Promise<UserRepositoryUnderTest>): void {
  describe(`${name} (UserRepository contract)`, function () {
    let subject: UserRepositoryUnderTest;
    let repository: UserRepository;

    beforeEach(async function () {
      subject = await factory();
      repository = subject.repository;
    });

    afterEach(async function () {
      await subject?.close();
    });

    it('finds an added user by id, by email and by username', async function () {
      const user = aUser();
      await repository.add(user);

      for (const found of [
        await repository.findById(user.id),
        await repository.findByEmail(user.email),
        await repository.findByUsername(user.username),
      ]) {
        expect(found?.id).to.equal(user.id);
        expect(found?.email.value).to.equal(user.email.value);
        expect(found?.username.value).to.equal(user.username.value);
        expect(found?.passwordHash).to.equal(user.passwordHash);
        expect(found?.isActive).to.equal(true);
        expect(found?.isVerified).to.equal(false);
        expect(found?.tokenVersion).to.equal(0);
      }
    });

    it('finds a username whatever its case, and returns it as registered', async function () {
      const user = aUser({ username: `JohnDoe_${uniqueTag()}` });
      await repository.add(user);

      const found = await repository.findByUsername(Username.parse(user.username.value.toUpperCase()));

      expect(found?.id).to.equal(user.id);
      expect(found?.username.value).to.equal(user.username.value);
    });

    it('finds an email whatever case it was typed in', async function () {
      const user = aUser();
      await repository.add(user);

      const found = await repository.findByEmail(Email.parse(user.email.value.toUpperCase()));

      expect(found?.id).to.equal(user.id);
    });

    it('finds nobody for an unknown id, email or username, or an id that is not a UUID', async function () {
      const stranger = aUser();

      expect(await repository.findById(stranger.id)).to.equal(undefined);
      expect(await repository.findById('not-a-uuid')).to.equal(undefined);
      expect(await repository.findByEmail(stranger.email)).to.equal(undefined);
      expect(await repository.findByUsername(stranger.username)).to.equal(undefined);
    });

    it('keeps created_at and updated_at to the millisecond', async function () {
      const user = aUser({ now: new Date('2026-11-24T10:00:00.123Z') }).withPassword(
        'another-hash',
        new Date('2026-11-24T10:05:00.456Z'),
      );
      await repository.add(user);

      const found = await repository.findById(user.id);

      expect(found?.createdAt.toISOString()).to.equal('2026-11-24T10:00:00.123Z');
      expect(found?.updatedAt.toISOString()).to.equal('2026-11-24T10:05:00.456Z');
    });

    it('refuses a second user with the same email as EmailTaken, and writes nothing', async function () {
      const first = aUser();
      await repository.add(first);
      const second = aUser({ email: first.email.value });

      expect(await rejection(repository.add(second))).to.be.instanceOf(EmailTaken);
      expect(await repository.findById(second.id)).to.equal(undefined);
      expect(await repository.findByUsername(second.username)).to.equal(undefined);
    });

    it('refuses a username that differs only in case as UsernameTaken, and writes nothing', async function () {
      const first = aUser({ username: `JohnDoe_${uniqueTag()}` });
      await repository.add(first);
      const second = aUser({ username: first.username.value.toLowerCase() });

      expect(await rejection(repository.add(second))).to.be.instanceOf(UsernameTaken);
      expect(await repository.findById(second.id)).to.equal(undefined);
      expect(await repository.findByEmail(second.email)).to.equal(undefined);
    });

    it('reports the email first when both email and username are taken', async function () {
      const first = aUser();
      await repository.add(first);

      const error = await rejection(repository.add(aUser({ email: first.email.value, username: first.username.value })));

      expect(error).to.be.instanceOf(EmailTaken);
    });

    it('refuses a duplicate id with an error that is not a domain clash', async function () {
      const first = aUser();
      await repository.add(first);
      const twin = new User({ ...aUser(), id: first.id });

      const error = await rejection(repository.add(twin));

      expect(error).to.be.instanceOf(Error);
      expect(error).not.to.be.instanceOf(EmailTaken);
      expect(error).not.to.be.instanceOf(UsernameTaken);
    });

    it('updates the user\'s own fields, the token version included, and keeps created_at', async function () {
      const user = aUser();
      await repository.add(user);
      const later = new Date('2026-11-24T11:00:00.789Z');
      const changed = new User({
        ...user.withEmail(Email.parse(`new-${uniqueTag()}@example.com`), later)
          .withUsername(Username.parse(`Renamed_${uniqueTag()}`), later)
          .withPassword('new-hash', later),
        isVerified: true,
      });

      expect(await repository.update(changed)).to.equal(true);

      const found = await repository.findById(user.id);
      expect(found?.email.value).to.equal(changed.email.value);
      expect(found?.username.value).to.equal(changed.username.value);
      expect(found?.passwordHash).to.equal('new-hash');
      expect(found?.isActive).to.equal(true);
      expect(found?.isVerified).to.equal(true);
      expect(found?.tokenVersion).to.equal(1);
      expect(found?.createdAt.toISOString()).to.equal(user.createdAt.toISOString());
      expect(found?.updatedAt.toISOString()).to.equal(later.toISOString());
      expect(await repository.findByEmail(user.email)).to.equal(undefined);
      expect(await repository.findByUsername(user.username)).to.equal(undefined);
      expect((await repository.findByEmail(changed.email))?.id).to.equal(user.id);
    });

    it('lets a user keep their own email and username, or change only their case', async function () {
      const user = aUser({ username: `JohnDoe_${uniqueTag()}` });
      await repository.add(user);
      const later = new Date('2026-11-24T11:00:00.000Z');

      expect(await repository.update(user.withPassword('new-hash', later))).to.equal(true);
      const recased = Username.parse(user.username.value.toLowerCase());
      expect(await repository.update(user.withUsername(recased, later))).to.equal(true);

      expect((await repository.findById(user.id))?.username.value).to.equal(recased.value);
    });

    it('answers false when updating a user that does not exist', async function () {
      const ghost = aUser();

      expect(await repository.update(ghost)).to.equal(false);
      expect(await repository.findById(ghost.id)).to.equal(undefined);
    });

    it('refuses an update to another user\'s email as EmailTaken, and leaves the row as it was', async function () {
      const owner = aUser();
      const other = aUser();
      await repository.add(owner);
      await repository.add(other);
      const later = new Date('2026-11-24T11:00:00.000Z');
      const grabbing = other.withEmail(owner.email, later).withPassword('new-hash', later);

      expect(await rejection(repository.update(grabbing))).to.be.instanceOf(EmailTaken);

      const stored = await repository.findById(other.id);
      expect(stored?.email.value).to.equal(other.email.value);
      expect(stored?.passwordHash).to.equal(other.passwordHash);
      expect(stored?.tokenVersion).to.equal(0);
    });

    it('refuses an update to another user\'s username in any case as UsernameTaken, and leaves the row as it was', async function () {
      const owner = aUser();
      const other = aUser();
      await repository.add(owner);
      await repository.add(other);
      const later = new Date('2026-11-24T11:00:00.000Z');
      const grabbing = other.withUsername(Username.parse(owner.username.value.toUpperCase()), later);

      expect(await rejection(repository.update(grabbing))).to.be.instanceOf(UsernameTaken);

      const stored = await repository.findById(other.id);
      expect(stored?.username.value).to.equal(other.username.value);
      expect(stored?.updatedAt.toISOString()).to.equal(other.updatedAt.toISOString());
    });

    it('removes a user once, and frees their email and username', async function () {
      const user = aUser();
      await repository.add(user);

      expect(await repository.remove(user.id)).to.equal(true);
      expect(await repository.remove(user.id)).to.equal(false);
      expect(await repository.findById(user.id)).to.equal(undefined);
      expect(await repository.findByEmail(user.email)).to.equal(undefined);
      expect(await repository.findByUsername(user.username)).to.equal(undefined);

      const successor = aUser({ email: user.email.value, username: user.username.value.toUpperCase() });
      await repository.add(successor);
      expect((await repository.findByEmail(user.email))?.id).to.equal(successor.id);
    });

    it('answers false when removing an id that is not a UUID', async function () {
      expect(await repository.remove('not-a-uuid')).to.equal(false);
    });

    it('lets exactly one of 40 concurrent registrations of one email win', async function () {
      const email = `race-${uniqueTag()}@example.com`;

      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => repository.add(aUser({ email }))));

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(1);
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(rejected).to.have.length(39);
      for (const outcome of rejected) expect(outcome.reason).to.be.instanceOf(EmailTaken);
    });

    it('lets exactly one of 40 concurrent registrations of one username, in assorted cases, win', async function () {
      const base = `Racer_${uniqueTag()}`;
      const spellings = [base, base.toLowerCase(), base.toUpperCase()];

      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => repository.add(aUser({ username: spellings[i % spellings.length] }))),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(1);
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(rejected).to.have.length(39);
      for (const outcome of rejected) expect(outcome.reason).to.be.instanceOf(UsernameTaken);
    });

    describe('privileged changes', function () {
      // The count of superusers is global to a store; every test here leaves none behind, so the next starts clean.
      const made: User[] = [];
      afterEach(async function () {
        for (const user of made.splice(0)) await repository.remove(user.id);
      });

      async function aSuperuser(): Promise<User> {
        const user = aUser();
        const promoted = new User({ ...user, isSuperuser: true });
        await repository.add(promoted);
        made.push(promoted);
        return promoted;
      }

      const later = new Date('2026-11-24T12:00:00.000Z');
      const demote = (user: User, others: number) => {
        const next = user.withSuperuser(false, later);
        assertKeepsASuperuser(user, next, others);
        return next;
      };

      it('never lets a plain update write isActive or isSuperuser, so it cannot undo an administrator\'s change', async function () {
        const user = aUser();
        await repository.add(user);
        made.push(user);
        const stale = user.withUsername(Username.parse(`Stale_${uniqueTag()}`), later);
        await repository.updateWith(user.id, (stored) => stored.withActive(false, later));

        expect(await repository.update(new User({ ...stale, isSuperuser: true }))).to.equal(true);

        const found = await repository.findById(user.id);
        expect(found).to.include({ isActive: false, isSuperuser: false });
        expect(found?.username.value).to.equal(stale.username.value);
      });

      it('saves every field through updateWith, and tells the decision how many others administer', async function () {
        const admin = await aSuperuser();
        const user = aUser();
        await repository.add(user);
        made.push(user);
        const seen: number[] = [];

        const saved = await repository.updateWith(user.id, (stored, others) => {
          seen.push(others);
          return stored.withSuperuser(true, later).withActive(false, later);
        });

        expect(saved).to.include({ isSuperuser: true, isActive: false });
        expect(await repository.findById(user.id)).to.include({ isSuperuser: true, isActive: false });
        expect(seen).to.deep.equal([1]);
        expect(await repository.updateWith(admin.id, (stored, others) => (seen.push(others), stored))).to.include({ id: admin.id });
        // The other superuser is inactive: it does not administer.
        expect(seen).to.deep.equal([1, 0]);
      });

      it('answers undefined from updateWith and removeWith for an unknown or malformed id', async function () {
        expect(await repository.updateWith(aUser().id, (user) => user)).to.equal(undefined);
        expect(await repository.updateWith('not-a-uuid', (user) => user)).to.equal(undefined);
        expect(await repository.removeWith(aUser().id, () => {})).to.equal(undefined);
      });

      it('leaves the user as it was when the decision refuses', async function () {
        const admin = await aSuperuser();

        expect(await rejection(repository.updateWith(admin.id, demote))).to.be.instanceOf(LastSuperuser);
        expect(await rejection(repository.removeWith(admin.id, (user, others) => assertKeepsASuperuser(user, undefined, others)))).to.be.instanceOf(
          LastSuperuser,
        );

        expect(await repository.findById(admin.id)).to.include({ isSuperuser: true, isActive: true });
      });

      it('removes through removeWith when the decision allows, and returns who was removed', async function () {
        const first = await aSuperuser();
        const second = await aSuperuser();

        const removed = await repository.removeWith(first.id, (user, others) => assertKeepsASuperuser(user, undefined, others));

        expect(removed?.id).to.equal(first.id);
        expect(await repository.findById(first.id)).to.equal(undefined);
        expect(await repository.findById(second.id)).to.include({ isSuperuser: true });
      });

      it('lets only one of two superusers demoting each other at once succeed: one always remains', async function () {
        for (let round = 0; round < 5; round++) {
          const a = await aSuperuser();
          const b = await aSuperuser();

          const outcomes = await Promise.allSettled([repository.updateWith(a.id, demote), repository.updateWith(b.id, demote)]);

          expect(outcomes.filter((outcome) => outcome.status === 'fulfilled'), `round ${round}`).to.have.length(1);
          const refused = outcomes.find((outcome) => outcome.status === 'rejected');
          expect((refused as PromiseRejectedResult).reason).to.be.instanceOf(LastSuperuser);
          const remaining = [await repository.findById(a.id), await repository.findById(b.id)].filter((user) => user?.isSuperuser);
          expect(remaining, `round ${round}`).to.have.length(1);
          for (const user of made.splice(0)) await repository.remove(user.id);
        }
      });
    });

    describe('list', function () {
      async function someUsers(tag: string, count: number): Promise<User[]> {
        const users: User[] = [];
        for (let i = 0; i < count; i++) {
          const at = new Date(REGISTERED_AT.getTime() + i);
          const user = aUser({ email: `${tag}-${i}@example.com`, username: `U${tag}_${i}`, now: at });
          await repository.add(user);
          users.push(user);
        }
        return users;
      }

      it('finds users by a prefix of the email or of the username in any case, in id order', async function () {
        const tag = `p${uniqueTag()}`;
        const users = await someUsers(tag, 3);

        const byEmail = await repository.list({ prefix: `${tag}-1`, limit: 10 });
        expect(byEmail.map((user) => user.id)).to.deep.equal([users[1]!.id]);
        const byUsername = await repository.list({ prefix: `u${tag}_`, limit: 10 });
        expect(byUsername.map((user) => user.id)).to.deep.equal(users.map((user) => user.id));
      });

      it('pages with a keyset: every user once, none repeated, however small the page', async function () {
        const tag = `k${uniqueTag()}`;
        const users = await someUsers(tag, 5);
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await repository.list({ prefix: tag, limit: 2, after });
          if (page.length === 0) break;
          expect(page.length).to.be.at.most(2);
          seen.push(...page.map((user) => user.id));
          after = page.at(-1)!.id;
        }
        expect(seen).to.deep.equal(users.map((user) => user.id));
      });

      it('takes "%" and "_" in a prefix literally', async function () {
        const tag = `l${uniqueTag()}`;
        await someUsers(tag, 1);

        expect(await repository.list({ prefix: `${tag.slice(0, 3)}%`, limit: 10 })).to.deep.equal([]);
        expect(await repository.list({ prefix: `${tag}_0`, limit: 10 })).to.deep.equal([]);
      });

      it('answers an empty page after an id that is not a UUID', async function () {
        expect(await repository.list({ limit: 10, after: 'not-a-uuid' })).to.deep.equal([]);
      });
    });
  });
}
