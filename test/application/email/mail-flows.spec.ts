import { expect } from 'chai';
import type { StoredMail } from '../../../adapters/memory/in-memory-mail-outbox.js';
import {
  EmailNotVerified,
  EmailTaken,
  InvalidEmail,
  InvalidOneTimeToken,
  InvalidCredentials,
  InvalidToken,
  UsernameTaken,
  PurgeEndedOneTimeTokens,
  WeakPassword,
  type MailKind,
} from '../../../application/index.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, MAIL_LIMITS, ORIGIN, useCaseWorld } from '../world.js';
import { fresh, stale } from '../../support/requester.js';

type World = ReturnType<typeof useCaseWorld>;
const CLIENT = '198.51.100.7';
const MINUTE = 60_000;

function mails(world: World, kind?: MailKind): StoredMail[] {
  return world.outbox.all().filter((mail) => kind === undefined || mail.kind === kind);
}

/** The token of the latest mail of that kind to that address, opened as the worker would. */
function tokenOf(world: World, kind: MailKind, to?: string): string {
  const mail = mails(world, kind).filter((m) => to === undefined || m.to === to).at(-1);
  if (!mail?.sealedToken) throw new Error(`no ${kind} mail${to ? ` to ${to}` : ''}`);
  return world.box.open(mail.sealedToken);
}

describe('E-mail verification', () => {
  it('queues a verification link with the registration, and the link verifies the address once', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    expect(alice.isVerified).to.equal(false);
    expect(mails(world).map((m) => [m.kind, m.to])).to.deep.equal([['verify_email', 'alice@example.com']]);

    const verified = await world.verifyEmail.execute(tokenOf(world, 'verify_email'));

    expect(verified.isVerified).to.equal(true);
    expect((await world.users.findById(alice.id))?.isVerified).to.equal(true);
    await expectRejection(world.verifyEmail.execute(tokenOf(world, 'verify_email')), InvalidOneTimeToken);
  });

  it('keeps no token in clear: the outbox holds it sealed, the store only its hash', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    const [mail] = mails(world);
    const token = world.box.open(mail!.sealedToken!);
    expect(JSON.stringify(mail)).not.to.include(token);
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses an unknown token and an expired one', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await expectRejection(world.verifyEmail.execute('not-a-token'), InvalidOneTimeToken);
    world.clock.advance(24 * 60 * MINUTE);
    await expectRejection(world.verifyEmail.execute(tokenOf(world, 'verify_email')), InvalidOneTimeToken);
  });

  it('mails a new link on request to an unverified account, and nothing to a verified or unknown one', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await world.requestVerification.execute({ email: 'ALICE@example.com', client: CLIENT });
    await world.requestVerification.execute({ email: 'nobody@example.com', client: CLIENT });
    expect(mails(world, 'verify_email')).to.have.lengthOf(2);

    await world.verifyEmail.execute(tokenOf(world, 'verify_email'));
    await world.requestVerification.execute({ email: ALICE.email, client: CLIENT });
    expect(mails(world, 'verify_email')).to.have.lengthOf(2);
  });

  it('refuses an address no account could have with InvalidEmail, before counting it', async () => {
    const world = useCaseWorld();
    await expectRejection(world.requestVerification.execute({ email: 'not an address', client: CLIENT }), InvalidEmail);
  });

  it('sends nothing, silently, beyond the per-address budget, and again in the next window', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    for (let i = 0; i < MAIL_LIMITS.perAddress.limit + 3; i++) {
      await world.requestVerification.execute({ email: ALICE.email, client: `203.0.113.${i}` });
    }
    expect(mails(world, 'verify_email')).to.have.lengthOf(1 + MAIL_LIMITS.perAddress.limit);
    world.clock.advance(60 * MINUTE);
    await world.requestVerification.execute({ email: ALICE.email, client: CLIENT });
    expect(mails(world, 'verify_email')).to.have.lengthOf(2 + MAIL_LIMITS.perAddress.limit);
  });

  it('sends nothing beyond the per-client budget, whatever the addresses', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    for (let i = 0; i < MAIL_LIMITS.perClient.limit; i++) await world.requestPasswordReset.execute({ email: `probe${i}@example.com`, client: CLIENT });
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    expect(mails(world, 'reset_password')).to.deep.equal([]);
  });

  it('does not verify a later address with a link sent to an earlier one', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const oldLink = tokenOf(world, 'verify_email', 'alice@example.com');
    await world.update.execute(fresh(alice, world.clock.now()), { email: 'alice.new@example.com' });
    // The change voided it; and even a link that survived would name the old address.
    await expectRejection(world.verifyEmail.execute(oldLink), InvalidOneTimeToken);
    expect((await world.users.findById(alice.id))?.isVerified).to.equal(false);
  });
});

describe('Password reset', () => {
  it('mails a link that sets a new password, ends every session and refuses earlier tokens', async () => {
    const world = useCaseWorld();
    const registered = await world.register.execute(ALICE);
    const { tokens } = await world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN });
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });

    await world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'a brand new secret' });

    await expectRejection(world.authenticate.execute(tokens.accessToken.token), InvalidToken);
    expect(await world.listSessions.execute((await world.users.findById(registered.id))!)).to.deep.equal([]);
    await world.logIn.execute({ login: ALICE.username, password: 'a brand new secret', origin: ORIGIN });
    expect(mails(world, 'password_changed').map((m) => m.to)).to.deep.equal(['alice@example.com']);
    await expectRejection(world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'yet another secret' }), InvalidOneTimeToken);
  });

  it('leaves the link usable after a weak password', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    const token = tokenOf(world, 'reset_password');
    await expectRejection(world.resetPassword.execute({ token, password: 'password123' }), WeakPassword);
    await world.resetPassword.execute({ token, password: 'a brand new secret' });
  });

  it('voids older reset links when a new one is requested', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    const first = tokenOf(world, 'reset_password');
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    await expectRejection(world.resetPassword.execute({ token: first, password: 'a brand new secret' }), InvalidOneTimeToken);
    await world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'a brand new secret' });
  });

  it('mails nothing for an unknown address and refuses an expired link', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await world.requestPasswordReset.execute({ email: 'nobody@example.com', client: CLIENT });
    expect(mails(world, 'reset_password')).to.deep.equal([]);
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    world.clock.advance(30 * MINUTE);
    await expectRejection(world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'a brand new secret' }), InvalidOneTimeToken);
  });

  it('voids every outstanding reset and verification link on a password change', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    await world.update.execute(stale(alice, world.clock.now()), { password: 'a brand new secret', currentPassword: ALICE.password });
    await expectRejection(world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'another new secret' }), InvalidOneTimeToken);
    await expectRejection(world.verifyEmail.execute(tokenOf(world, 'verify_email')), InvalidOneTimeToken);
    expect(mails(world, 'password_changed').map((m) => m.to)).to.deep.equal(['alice@example.com']);
  });
});

describe('Email change and revert', () => {
  it('makes the new address unverified, mails it a link, and mails the old one a revert link', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.verifyEmail.execute(tokenOf(world, 'verify_email'));

    const moved = await world.update.execute(fresh((await world.users.findById(alice.id))!, world.clock.now()), { email: 'thief@example.com' });

    expect(moved).to.deep.include({ isVerified: false });
    expect(mails(world, 'verify_email').at(-1)?.to).to.equal('thief@example.com');
    const notice = mails(world, 'email_changed').at(-1);
    expect(notice?.to).to.equal('alice@example.com');
    expect(notice?.params).to.deep.include({ new_email: 'thief@example.com' });
  });

  it('reverts from the old inbox: the address comes back verified, every session ends, later links die', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const { tokens } = await world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN });
    const moved = await world.update.execute(fresh(alice, world.clock.now()), { email: 'thief@example.com' });
    await world.requestPasswordReset.execute({ email: 'thief@example.com', client: CLIENT });
    const thiefsReset = tokenOf(world, 'reset_password');

    await world.revertEmail.execute(tokenOf(world, 'email_changed'));

    const back = await world.users.findById(moved.id);
    expect(back).to.deep.include({ isVerified: true });
    expect(back?.email.value).to.equal('alice@example.com');
    await expectRejection(world.authenticate.execute(tokens.accessToken.token), InvalidToken);
    await expectRejection(world.resetPassword.execute({ token: thiefsReset, password: 'the thief wins' }), InvalidOneTimeToken);
    await expectRejection(world.verifyEmail.execute(tokenOf(world, 'verify_email', 'thief@example.com')), InvalidOneTimeToken);
    await expectRejection(world.revertEmail.execute(tokenOf(world, 'email_changed')), InvalidOneTimeToken);
  });

  it('does not let a second change revert the owner\'s revert: a revert voids every other revert link', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const first = await world.update.execute(fresh(alice, world.clock.now()), { email: 'thief@example.com' });
    await world.update.execute(fresh(first, world.clock.now()), { email: 'thief2@example.com' });
    const ownersRevert = tokenOf(world, 'email_changed', 'alice@example.com');
    const thiefsRevert = tokenOf(world, 'email_changed', 'thief@example.com');

    await world.revertEmail.execute(ownersRevert);

    await expectRejection(world.revertEmail.execute(thiefsRevert), InvalidOneTimeToken);
    expect((await world.users.findById(alice.id))?.email.value).to.equal('alice@example.com');
  });

  it('keeps the revert link working after the thief changes the password too', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const moved = await world.update.execute(fresh(alice, world.clock.now()), { email: 'thief@example.com' });
    await world.update.execute(stale(moved, world.clock.now()), { password: 'a password of his own', currentPassword: ALICE.password });
    await world.revertEmail.execute(tokenOf(world, 'email_changed'));
    expect((await world.users.findById(alice.id))?.email.value).to.equal('alice@example.com');
  });

  it('changes nothing and mails nothing when the new address is taken', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.register.execute({ email: 'bob@example.com', username: 'robert', password: 'a secret of his own' });
    const before = world.outbox.all().length;
    await expectRejection(world.update.execute(fresh(alice, world.clock.now()), { email: 'bob@example.com' }), EmailTaken);
    expect(world.outbox.all()).to.have.lengthOf(before);
    expect((await world.users.findById(alice.id))?.email.value).to.equal('alice@example.com');
  });
});

describe('REQUIRE_VERIFIED_EMAIL', () => {
  it('refuses log-in until the address is verified, and only to a caller who knows the password', async () => {
    const world = useCaseWorld({ requireVerifiedEmail: true });
    await world.register.execute(ALICE);
    await expectRejection(world.logIn.execute({ login: ALICE.username, password: 'wrong password!', origin: ORIGIN }), InvalidCredentials);
    await expectRejection(world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN }), EmailNotVerified);
    await world.verifyEmail.execute(tokenOf(world, 'verify_email'));
    await world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN });
  });

  it('lets unverified accounts log in when it is off (the default)', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN });
  });

  it('changes the address only once the new one confirms, then tells the old one', async () => {
    const world = useCaseWorld({ requireVerifiedEmail: true });
    const alice = await world.register.execute(ALICE);

    const unchanged = await world.update.execute(fresh(alice, world.clock.now()), { email: 'alice.new@example.com' });

    expect(unchanged.email.value).to.equal('alice@example.com');
    expect(mails(world, 'confirm_email_change').map((m) => m.to)).to.deep.equal(['alice.new@example.com']);
    expect(mails(world, 'email_changed')).to.deep.equal([]);

    const moved = await world.verifyEmail.execute(tokenOf(world, 'confirm_email_change'));

    expect(moved.email.value).to.equal('alice.new@example.com');
    expect(moved.isVerified).to.equal(true);
    expect(mails(world, 'email_changed').map((m) => m.to)).to.deep.equal(['alice@example.com']);
  });

  it('mails the owner of a taken address a notice instead of a link, within the limits', async () => {
    const world = useCaseWorld({ requireVerifiedEmail: true });
    await world.register.execute(ALICE);
    for (let i = 0; i < MAIL_LIMITS.perAddress.limit + 2; i++) {
      await expectRejection(world.register.execute({ email: ALICE.email, username: `other${i}`, password: 'someone else secret', client: CLIENT }), EmailTaken);
    }
    expect(mails(world, 'registration_attempt').map((m) => m.to)).to.have.lengthOf(MAIL_LIMITS.perAddress.limit);
    expect(mails(world, 'verify_email')).to.have.lengthOf(1);
  });

  it('sends no notice for a taken address when it is off', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await expectRejection(world.register.execute({ email: ALICE.email, username: 'other', password: 'someone else secret' }), EmailTaken);
    expect(mails(world, 'registration_attempt')).to.deep.equal([]);
  });
});

describe('PurgeEndedOneTimeTokens', () => {
  it('deletes tokens ended more than a day ago and keeps the rest', async () => {
    const world = useCaseWorld();
    await world.register.execute(ALICE);
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    const purge = new PurgeEndedOneTimeTokens(world.oneTimeTokens, world.clock);

    world.clock.advance(24 * 60 * MINUTE + 29 * MINUTE);
    expect(await purge.runBatch(1_000)).to.equal(0);
    // A day after the reset link expired (at 30 minutes) it goes; the 24-hour verification link stays a day more.
    world.clock.advance(2 * MINUTE);
    expect(await purge.runBatch(1_000)).to.equal(1);
    world.clock.advance(24 * 60 * MINUTE);
    expect(await purge.runBatch(1_000)).to.equal(1);
  });
});

describe('Found in review', () => {
  it('gives a taken email and a free one the same answer under REQUIRE_VERIFIED_EMAIL, even with a taken username', async () => {
    const world = useCaseWorld({ requireVerifiedEmail: true });
    await world.register.execute(ALICE);
    // An attacker who knows one username (their own) would otherwise learn which emails have accounts.
    await expectRejection(world.register.execute({ ...ALICE, email: 'someone-new@example.com' }), UsernameTaken);
    await expectRejection(world.register.execute({ ...ALICE }), UsernameTaken);
  });

  it('refuses a reset link once an administrator has moved the account to another address, and voids it', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    const root = await world.register.execute({ email: 'root@example.com', username: 'root', password: 'the operators own long secret' });
    await world.setSuperuser.execute('root@example.com', true);
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    const staleLink = tokenOf(world, 'reset_password');

    await world.updateUser.execute(fresh((await world.users.findById(root.id))!, world.clock.now()), alice.id, { email: 'alice-new@example.com' });

    await expectRejection(world.resetPassword.execute({ token: staleLink, password: 'a takeover secret' }), InvalidOneTimeToken);
    await expectRejection(world.logIn.execute({ login: 'Alice', password: 'a takeover secret', origin: ORIGIN }), InvalidCredentials);
  });

  it('records a reset, a verification and a revert in the owner\'s security history', async () => {
    const world = useCaseWorld();
    const alice = await world.register.execute(ALICE);
    await world.verifyEmail.execute(tokenOf(world, 'verify_email'));
    await world.requestPasswordReset.execute({ email: ALICE.email, client: CLIENT });
    await world.resetPassword.execute({ token: tokenOf(world, 'reset_password'), password: 'a brand new secret' });
    const current = (await world.users.findById(alice.id))!;
    await world.update.execute(fresh(current, world.clock.now()), { email: 'alice-new@example.com' });
    await world.revertEmail.execute(tokenOf(world, 'email_changed', 'alice@example.com'));

    const { items } = await world.listMyEvents.execute(alice, { limit: 20 });
    const types = items.map((event) => event.type);
    expect(types).to.include.members(['email.verified', 'password.reset']);
    expect(items.filter((event) => event.type === 'email.changed').map((event) => event.details.reverted ?? false)).to.have.members([true, false]);
    expect(JSON.stringify(items)).not.to.include('a brand new secret');
  });
});
