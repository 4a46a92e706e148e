import { expect } from 'chai';
import { InMemoryPasskeyRepository } from '../../../adapters/memory/in-memory-passkey-repository.js';
import { InMemoryWebAuthnChallengeStore } from '../../../adapters/memory/in-memory-web-authn-challenge-store.js';
import {
  AddPasskey,
  AuditTrail,
  ListPasskeys,
  LogInWithPasskey,
  MailQueue,
  OpenSession,
  PasskeyLogInOptions,
  PasskeyNotices,
  PasskeyProof,
  PasskeyRegistrationOptions,
  PurgeExpiredWebAuthnChallenges,
  RemovePasskey,
  RenamePasskey,
  SessionAgeFreshness,
  type AuthenticationVerificationRequest,
  type CredentialResponse,
  type RegistrationOptionsRequest,
  type VerifiedAuthentication,
  type VerifiedRegistration,
  type WebAuthn,
  type WebAuthnJson,
} from '../../../application/index.js';
import {
  FreshAuthenticationRequired,
  InactiveUser,
  InvalidPasskey,
  InvalidPasskeyLogIn,
  PasskeyNotFound,
  WebAuthnChallenge,
  type User,
} from '../../../domain/index.js';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import { expectRejection } from '../../support/expect-rejection.js';
import { ALICE, ORIGIN, SESSION_POLICY, useCaseWorld } from '../world.js';

/**
 * Stands in for the library: a "response" says what the authenticator would have proven. The real ceremonies run
 * in test/browser/passkeys.browser.spec.ts against Chromium's virtual authenticator.
 */
class FakeWebAuthn implements WebAuthn {
  readonly registrationRequests: RegistrationOptionsRequest[] = [];

  async registrationOptions(request: RegistrationOptionsRequest): Promise<WebAuthnJson> {
    this.registrationRequests.push(request);
    return { challenge: request.challenge };
  }

  async verifyRegistration(response: CredentialResponse, challenge: string): Promise<VerifiedRegistration | undefined> {
    if (response['valid'] === false || challengeIn(response) !== challenge) return undefined;
    return { credentialId: response.id, publicKey: new Uint8Array([1, 2, 3]), counter: 0, transports: ['internal'], deviceType: 'singleDevice', backedUp: response['backedUp'] === true };
  }

  async authenticationOptions(challenge: string): Promise<WebAuthnJson> {
    return { challenge };
  }

  async verifyAuthentication(request: AuthenticationVerificationRequest): Promise<VerifiedAuthentication | undefined> {
    const { response } = request;
    if (response['valid'] === false || challengeIn(response) !== request.challenge || request.credential.credentialId !== response.id) return undefined;
    return { newCounter: Number(response['counter'] ?? 0), backedUp: response['backedUp'] === true, userHandle: response['userHandle'] as string | undefined };
  }
}

function challengeIn(response: CredentialResponse): string | undefined {
  const clientDataJSON = (response['response'] as { clientDataJSON: string }).clientDataJSON;
  return (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString()) as { challenge: string }).challenge;
}

function credential(id: string, challenge: string, extra: Record<string, unknown> = {}): CredentialResponse {
  return { id, response: { clientDataJSON: Buffer.from(JSON.stringify({ challenge })).toString('base64url') }, ...extra };
}

function passkeyWorld() {
  const world = useCaseWorld();
  const passkeys = new InMemoryPasskeyRepository(world.users);
  const challenges = new InMemoryWebAuthnChallengeStore();
  const webAuthn = new FakeWebAuthn();
  const audit = new AuditTrail(world.auditLog, world.clock);
  const fresh = new SessionAgeFreshness(world.clock, 300_000);
  const notices = new PasskeyNotices(world.unitOfWork, audit, new MailQueue(new AesGcmSecretBox(new Uint8Array(32).fill(7)), world.clock));
  const proof = new PasskeyProof(passkeys, challenges, webAuthn, world.clock, audit);
  const openSession = new OpenSession(world.sessions, world.tokens, world.clock, SESSION_POLICY);
  return {
    ...world,
    passkeys,
    challenges,
    webAuthn,
    proof,
    registrationOptions: new PasskeyRegistrationOptions(passkeys, challenges, webAuthn, fresh, world.clock),
    add: new AddPasskey(passkeys, challenges, webAuthn, fresh, notices, world.clock),
    list: new ListPasskeys(passkeys),
    rename: new RenamePasskey(passkeys),
    removePasskey: new RemovePasskey(passkeys, fresh, notices),
    logInOptions: new PasskeyLogInOptions(challenges, webAuthn, world.clock),
    logInWithPasskey: new LogInWithPasskey(proof, world.users, openSession, audit),
    /** Alice, logged in with her password just now. */
    async alice() {
      await world.register.execute(ALICE);
      const { tokens } = await world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN });
      return world.authenticate.execute(tokens.accessToken.token);
    },
    async types() {
      return (await world.auditLog.list({}, { limit: 100 })).map((e) => e.type);
    },
    mailKinds() {
      return world.outbox.all().map((m) => m.kind);
    },
  };
}

type World = ReturnType<typeof passkeyWorld>;

async function addPasskey(world: World, actor: { user: User; session: Awaited<ReturnType<World['alice']>>['session'] }, id = 'cred-1', extra: Record<string, unknown> = {}) {
  const options = await world.registrationOptions.execute(actor);
  return world.add.execute(actor, { response: credential(id, options['challenge'] as string, extra), name: 'Laptop', origin: ORIGIN });
}

async function assertion(world: World, id: string, extra: Record<string, unknown> = {}) {
  const { challengeId, options } = await world.logInOptions.execute();
  return { challengeId, response: credential(id, options['challenge'] as string, extra) };
}

describe('Passkeys (use cases)', () => {
  describe('adding one', () => {
    it('adds a passkey for the challenge the user was given, records it and mails the owner', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      const passkey = await addPasskey(world, alice);
      expect([passkey.credentialId, passkey.name, passkey.userId]).to.deep.equal(['cred-1', 'Laptop', alice.user.id]);
      expect((await world.list.execute(alice.user.id)).map((p) => p.credentialId)).to.deep.equal(['cred-1']);
      expect(await world.types()).to.include('passkey.added');
      expect(world.mailKinds()).to.include('passkey_added');
    });

    it("excludes the user's passkeys from new options, so an authenticator does not make a second", async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      await world.registrationOptions.execute(alice);
      expect(world.webAuthn.registrationRequests.at(-1)?.exclude).to.deep.equal([{ credentialId: 'cred-1', transports: ['internal'] }]);
    });

    it('refuses a challenge used twice, an expired one, and one issued to another user', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      const options = await world.registrationOptions.execute(alice);
      const response = credential('cred-1', options['challenge'] as string);
      await world.add.execute(alice, { response, origin: ORIGIN });
      await expectRejection(world.add.execute(alice, { response: credential('cred-2', options['challenge'] as string), origin: ORIGIN }), InvalidPasskey);

      const stale = await world.registrationOptions.execute(alice);
      world.clock.advance(5 * 60_000);
      const refreshed = await world.authenticate.execute((await world.logIn.execute({ login: ALICE.username, password: ALICE.password, origin: ORIGIN })).tokens.accessToken.token);
      await expectRejection(world.add.execute(refreshed, { response: credential('cred-3', stale['challenge'] as string), origin: ORIGIN }), InvalidPasskey);

      const bob = await world.register.execute({ email: 'bob@example.com', username: 'bob', password: 'another long secret' });
      const bobs = WebAuthnChallenge.issue({ ceremony: 'registration', userId: bob.id, now: world.clock.now() });
      await world.challenges.issue(bobs);
      await expectRejection(world.add.execute(refreshed, { response: credential('cred-4', bobs.challenge), origin: ORIGIN }), InvalidPasskey);
      expect((await world.list.execute(alice.user.id)).map((p) => p.credentialId)).to.deep.equal(['cred-1']);
    });

    it('refuses a response that does not verify, and a credential registered already', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await expectRejection(addPasskey(world, alice, 'cred-1', { valid: false }), InvalidPasskey);
      await addPasskey(world, alice, 'cred-1');
      await expectRejection(addPasskey(world, alice, 'cred-1'), InvalidPasskey);
    });

    it('needs a fresh authentication: a session older than 5 minutes, or a password-only one with two-factor on, is refused', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      world.clock.advance(5 * 60_000 + 1);
      await expectRejection(world.registrationOptions.execute(alice), FreshAuthenticationRequired);
      world.users.setMfaEnabled(alice.user.id, true);
      const withMfa = { user: (await world.users.findById(alice.user.id))!, session: { ...alice.session, createdAt: world.clock.now() } } as typeof alice;
      await expectRejection(world.registrationOptions.execute(withMfa), FreshAuthenticationRequired);
    });
  });

  describe('managing them', () => {
    it("renames and removes only the user's own, recording and mailing the removal", async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      const bob = await world.register.execute({ email: 'bob@example.com', username: 'bob', password: 'another long secret' });
      await expectRejection(world.rename.execute(bob.id, 'cred-1', 'Mine'), PasskeyNotFound);
      expect((await world.rename.execute(alice.user.id, 'cred-1', 'Phone')).name).to.equal('Phone');
      await expectRejection(world.removePasskey.execute({ user: bob, session: alice.session }, 'cred-1', ORIGIN), PasskeyNotFound);
      await world.removePasskey.execute(alice, 'cred-1', ORIGIN);
      expect(await world.list.execute(alice.user.id)).to.deep.equal([]);
      expect(await world.types()).to.include('passkey.removed');
      expect(world.mailKinds()).to.include('passkey_removed');
      await expectRejection(world.removePasskey.execute(alice, 'cred-1', ORIGIN), PasskeyNotFound);
    });
  });

  describe('logging in with one', () => {
    it('opens a session with hwk, user, mfa, and records login.succeeded with them', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      const { user, tokens } = await world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1', { counter: 1 })), origin: ORIGIN });
      expect(user.id).to.equal(alice.user.id);
      const session = await world.authenticate.execute(tokens.accessToken.token);
      expect(session.session.amr).to.deep.equal(['hwk', 'user', 'mfa']);
      const events = await world.auditLog.list({}, { limit: 100 });
      expect(events.find((e) => e.type === 'login.succeeded' && e.details['method'] === 'passkey')?.details['amr']).to.deep.equal(['hwk', 'user', 'mfa']);
    });

    it('says swk for a backed-up passkey, and asks no code of an account with two-factor on', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      world.users.setMfaEnabled(alice.user.id, true);
      const { tokens } = await world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1', { backedUp: true })), origin: ORIGIN });
      expect((await world.authenticate.execute(tokens.accessToken.token)).session.amr).to.deep.equal(['swk', 'user', 'mfa']);
    });

    it('refuses a challenge used twice (a replayed assertion), an expired one, and a registration challenge', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      const first = await assertion(world, 'cred-1', { counter: 1 });
      await world.logInWithPasskey.execute({ ...first, origin: ORIGIN });
      await expectRejection(world.logInWithPasskey.execute({ ...first, origin: ORIGIN }), InvalidPasskeyLogIn);

      const late = await assertion(world, 'cred-1', { counter: 2 });
      world.clock.advance(5 * 60_000);
      await expectRejection(world.logInWithPasskey.execute({ ...late, origin: ORIGIN }), InvalidPasskeyLogIn);

      const registration = WebAuthnChallenge.issue({ ceremony: 'registration', userId: alice.user.id, now: world.clock.now() });
      await world.challenges.issue(registration);
      await expectRejection(
        world.logInWithPasskey.execute({ challengeId: registration.challenge, response: credential('cred-1', registration.challenge, { counter: 3 }), origin: ORIGIN }),
        InvalidPasskeyLogIn,
      );
    });

    it('refuses a counter that went backwards, changes nothing, and records it', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      await world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1', { counter: 5 })), origin: ORIGIN });
      await expectRejection(world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1', { counter: 3 })), origin: ORIGIN }), InvalidPasskeyLogIn);
      expect((await world.passkeys.findByCredentialId('cred-1'))?.counter).to.equal(5);
      const regressed = (await world.auditLog.list({}, { limit: 100 })).find((e) => e.type === 'passkey.counter_regressed');
      expect(regressed?.userId).to.equal(alice.user.id);
      expect(regressed?.details).to.deep.include({ passkey_id: 'cred-1', stored_counter: 5, presented_counter: 3 });
    });

    it('refuses an unknown credential, a bad signature, a user handle naming someone else, and an inactive user', async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      await expectRejection(world.logInWithPasskey.execute({ ...(await assertion(world, 'unknown')), origin: ORIGIN }), InvalidPasskeyLogIn);
      await expectRejection(world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1', { valid: false })), origin: ORIGIN }), InvalidPasskeyLogIn);
      await expectRejection(world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1', { userHandle: 'someone-else' })), origin: ORIGIN }), InvalidPasskeyLogIn);
      await world.users.updateWith(alice.user.id, (user) => user.withActive(false, world.clock.now()));
      await expectRejection(world.logInWithPasskey.execute({ ...(await assertion(world, 'cred-1')), origin: ORIGIN }), InactiveUser);
    });

    it("proves a reauthentication only with the session user's own passkey", async () => {
      const world = passkeyWorld();
      const alice = await world.alice();
      await addPasskey(world, alice);
      const bob = await world.register.execute({ email: 'bob@example.com', username: 'bob', password: 'another long secret' });
      const forBob = await assertion(world, 'cred-1');
      await expectRejection(world.proof.verify(forBob.challengeId, forBob.response, ORIGIN, bob.id), InvalidPasskeyLogIn);
      const forAlice = await assertion(world, 'cred-1');
      expect((await world.proof.verify(forAlice.challengeId, forAlice.response, ORIGIN, alice.user.id)).amr).to.deep.equal(['hwk', 'user', 'mfa']);
    });
  });

  it('purges expired challenges in batches as a housekeeping job, and only those', async () => {
    const world = passkeyWorld();
    for (let i = 0; i < 5; i++) await world.logInOptions.execute();
    world.clock.advance(5 * 60_000 + 1);
    const { challengeId } = await world.logInOptions.execute();
    const job = new PurgeExpiredWebAuthnChallenges(world.challenges, world.clock);
    expect([await job.runBatch(2), await job.runBatch(2), await job.runBatch(2), await job.runBatch(2)]).to.deep.equal([2, 2, 1, 0]);
    expect(await world.challenges.consume(challengeId)).to.not.equal(undefined);
  });
});
