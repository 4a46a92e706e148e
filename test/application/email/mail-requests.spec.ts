import { expect } from 'chai';
import { InProcessHousekeepingLock } from '../../../adapters/memory/in-process-housekeeping-lock.js';
import { Housekeeping, MailQueue, PurgeSettledMail, ResolveMailRequest, type HousekeepingObserver } from '../../../application/index.js';
import { ALICE, useCaseWorld } from '../../support/world.js';

type World = Awaited<ReturnType<typeof useCaseWorld>>;
const CLIENT = '198.51.100.7';
const LEASE = 30_000;

function rows(world: World) {
  return world.outbox.all().map((row) => ({ kind: row.kind, to: row.to, status: row.status }));
}

const quietRounds: HousekeepingObserver = { roundFinished() {}, roundSkipped() {}, roundFailed() {} };

describe('Link requests stored by the route, resolved by the request worker', () => {
  it('stores one request row for a known and for an unknown address alike, with no token and no mail yet', async () => {
    const world = await useCaseWorld();
    await world.register.execute(ALICE);
    const before = world.outbox.all().length;

    await world.storePasswordResetRequest.execute({ email: 'ALICE@example.com', client: CLIENT });
    await world.storePasswordResetRequest.execute({ email: 'nobody@example.com', client: CLIENT });
    await world.storeVerificationRequest.execute({ email: ALICE.email, client: CLIENT });
    await world.storeVerificationRequest.execute({ email: 'Nobody@Example.com', client: CLIENT });

    expect(rows(world).slice(before)).to.deep.equal([
      { kind: 'password_reset_request', to: 'alice@example.com', status: 'pending' },
      { kind: 'password_reset_request', to: 'nobody@example.com', status: 'pending' },
      { kind: 'verification_request', to: 'alice@example.com', status: 'pending' },
      { kind: 'verification_request', to: 'nobody@example.com', status: 'pending' },
    ]);
    // The client is kept for the record until the request is settled; nothing about the account is.
    expect(world.outbox.all()[before]).to.deep.include({ params: { client: CLIENT }, sealedToken: undefined, userId: undefined });
  });

  it('settles a request for an unknown address with no token issued and no mail queued', async () => {
    const world = await useCaseWorld();
    await world.requestPasswordReset.execute({ email: 'nobody@example.com', client: CLIENT });
    await world.requestVerification.execute({ email: 'nobody@example.com', client: CLIENT });

    expect(rows(world)).to.deep.equal([
      { kind: 'password_reset_request', to: 'nobody@example.com', status: 'sent' },
      { kind: 'verification_request', to: 'nobody@example.com', status: 'sent' },
    ]);
    // No token was issued: a purge of every token ever stored finds none.
    expect(await world.oneTimeTokens.purgeEnded(new Date(8.64e15), 1_000)).to.equal(0);
    expect(world.outbox.all().every((row) => Object.keys(row.params).length === 0)).to.equal(true);
  });

  it('resolves by what holds at resolution time: an address registered after the request gets its link', async () => {
    const world = await useCaseWorld();
    await world.storePasswordResetRequest.execute({ email: ALICE.email, client: CLIENT });
    await world.register.execute(ALICE);

    await world.requestWorker.resolveDue();

    expect(world.outbox.all().filter((row) => row.kind === 'reset_password').map((row) => row.to)).to.deep.equal(['alice@example.com']);
  });

  it('resolves by what holds at resolution time: an account verified after the request gets no verification link', async () => {
    const world = await useCaseWorld();
    await world.register.execute(ALICE);
    const [registration] = world.outbox.all();
    await world.storeVerificationRequest.execute({ email: ALICE.email, client: CLIENT });
    await world.verifyEmail.execute(world.box.open(registration!.sealedToken!));

    await world.requestWorker.resolveDue();

    expect(world.outbox.all().filter((row) => row.kind === 'verify_email')).to.have.lengthOf(1);
    expect(rows(world).find((row) => row.kind === 'verification_request')?.status).to.equal('sent');
  });

  it('resolves a request once: a worker whose lease was taken over, or that retries a settled one, does nothing', async () => {
    const world = await useCaseWorld();
    await world.register.execute(ALICE);
    await world.storePasswordResetRequest.execute({ email: ALICE.email, client: CLIENT });
    const resolver = new ResolveMailRequest(world.unitOfWork, new MailQueue(world.box, world.clock), world.clock);

    // A first worker claims the request and stalls past its lease; a second claims it and resolves it.
    const [stale] = await world.outbox.claimDue(world.clock.now(), LEASE, 10, 'requests');
    world.clock.advance(LEASE + 1);
    const [fresh] = await world.outbox.claimDue(world.clock.now(), LEASE, 10, 'requests');
    expect(fresh?.id).to.equal(stale?.id);
    await resolver.attempt(fresh!);
    await resolver.attempt(stale!);
    await resolver.attempt(fresh!);

    expect(world.outbox.all().filter((row) => row.kind === 'reset_password')).to.have.lengthOf(1);
  });

  it('leaves a request whose resolution failed pending, settled by nothing, and resolves it in full on the retry', async () => {
    const world = await useCaseWorld();
    await world.register.execute(ALICE);
    await world.storePasswordResetRequest.execute({ email: ALICE.email, client: CLIENT });
    const findByEmail = world.users.findByEmail.bind(world.users);
    world.users.findByEmail = async () => {
      throw new Error('store unavailable');
    };

    await world.requestWorker.resolveDue();
    expect(rows(world).find((row) => row.kind === 'password_reset_request')?.status).to.equal('pending');
    expect(world.outbox.all().filter((row) => row.kind === 'reset_password')).to.have.lengthOf(0);

    world.users.findByEmail = findByEmail;
    world.clock.advance(60_000);
    await world.requestWorker.resolveDue();
    expect(rows(world).find((row) => row.kind === 'password_reset_request')?.status).to.equal('sent');
    expect(world.outbox.all().filter((row) => row.kind === 'reset_password')).to.have.lengthOf(1);
  });

  it('purges settled requests through the housekeeping job list, and never one still pending', async () => {
    const world = await useCaseWorld();
    await world.requestPasswordReset.execute({ email: 'nobody@example.com', client: CLIENT });
    await world.storeVerificationRequest.execute({ email: 'nobody@example.com', client: CLIENT });
    const retentionMs = 86_400_000;
    const housekeeping = new Housekeeping([new PurgeSettledMail(world.outbox, world.clock, retentionMs)], new InProcessHousekeepingLock(), quietRounds);

    world.clock.advance(retentionMs + 1);
    const report = await housekeeping.runRound();

    expect(report?.jobs.map((job) => [job.name, job.removed])).to.deep.equal([['mail-outbox', 1]]);
    expect(rows(world)).to.deep.equal([{ kind: 'verification_request', to: 'nobody@example.com', status: 'pending' }]);
  });
});
