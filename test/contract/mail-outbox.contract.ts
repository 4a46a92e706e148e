import { expect } from 'chai';
import type { MailOutbox, NewOutboxMail } from '../../application/ports/mail-outbox.js';
import { newTimeOrderedId } from '../../domain/index.js';

/** What a test reads back of a stored mail, beyond what the port returns. */
export interface StoredMailView {
  readonly status: 'pending' | 'sent' | 'failed';
  readonly sealedToken: string | undefined;
  /** Undefined or empty once erased. */
  readonly params: Readonly<Record<string, string>> | undefined;
  readonly lastError: string | undefined;
}

export interface MailOutboxUnderTest {
  readonly outbox: MailOutbox;
  /** Another instance over the same store (another connection pool, for a database). */
  readonly otherInstance: MailOutbox;
  read(id: string): Promise<StoredMailView | undefined>;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;

function aMail(overrides: Partial<NewOutboxMail> = {}): NewOutboxMail {
  const createdAt = overrides.createdAt ?? T0;
  return {
    id: newTimeOrderedId(createdAt),
    kind: 'reset_password',
    to: 'someone@example.com',
    params: { username: 'someone' },
    sealedToken: 'sealed-token',
    createdAt,
    deadline: at(30 * 60_000),
    ...overrides,
  };
}

/**
 * The same specification for every `MailOutbox`. The factory gives an empty outbox: claims see every due mail,
 * so tests cannot share one.
 */
export function mailOutboxContract(name: string, factory: () => Promise<MailOutboxUnderTest>): void {
  describe(`${name} (MailOutbox contract)`, function () {
    let world: MailOutboxUnderTest;
    let outbox: MailOutbox;
    beforeEach(async () => {
      world = await factory();
      outbox = world.outbox;
    });
    afterEach(async () => world.close());

    it('hands a due mail out with every field, leased and counted as pending', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);

      const [claimed, ...more] = await outbox.claimDue(at(1), LEASE, 10);

      expect(more).to.deep.equal([]);
      expect(claimed).to.deep.include({ ...mail, attempts: 0, uncertainAttempts: 0 });
      expect(claimed?.leaseId).to.be.a('string');
      expect(await outbox.pendingCount()).to.equal(1);
    });

    it('does not hand out a mail before it was created', async () => {
      await outbox.enqueue(aMail({ createdAt: at(5_000) }));
      expect(await outbox.claimDue(at(1_000), LEASE, 10)).to.deep.equal([]);
    });

    it('hands out no leased mail until its lease expires, then again with the attempt counted', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [first] = await outbox.claimDue(at(1), LEASE, 10);

      expect(await world.otherInstance.claimDue(at(LEASE - 1), LEASE, 10)).to.deep.equal([]);
      const [again] = await world.otherInstance.claimDue(at(LEASE + 1), LEASE, 10);

      expect(again?.id).to.equal(mail.id);
      expect(again?.attempts).to.equal(1);
      expect(again?.leaseId).not.to.equal(first?.leaseId);
      // The first worker's lease was taken over: what it records no longer counts.
      expect(await outbox.markDone(mail.id, first!.leaseId, at(LEASE + 2))).to.equal(false);
      expect(await world.otherInstance.markDone(mail.id, again!.leaseId, at(LEASE + 2))).to.equal(true);
    });

    it('erases the token and the parameters of a sent mail and never hands it out again', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [claimed] = await outbox.claimDue(at(1), LEASE, 10);

      expect(await outbox.markDone(mail.id, claimed!.leaseId, at(2))).to.equal(true);

      const stored = await world.read(mail.id);
      expect(stored?.status).to.equal('sent');
      expect(stored?.sealedToken).to.equal(undefined);
      expect(Object.keys(stored?.params ?? {})).to.deep.equal([]);
      expect(await outbox.pendingCount()).to.equal(0);
      expect(await outbox.claimDue(at(10 * LEASE), LEASE, 10)).to.deep.equal([]);
      expect(await outbox.markDone(mail.id, claimed!.leaseId, at(3))).to.equal(false);
    });

    it('hands a mail out again at its retry time, not before, with the error kept', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [claimed] = await outbox.claimDue(at(1), LEASE, 10);

      expect(await outbox.markRetry(mail.id, claimed!.leaseId, at(4_000), 'connect ECONNREFUSED')).to.equal(true);

      expect(await outbox.claimDue(at(3_999), LEASE, 10)).to.deep.equal([]);
      const [retried] = await outbox.claimDue(at(4_000), LEASE, 10);
      expect(retried?.attempts).to.equal(1);
      expect(retried?.sealedToken).to.equal(mail.sealedToken);
      expect((await world.read(mail.id))?.lastError).to.equal('connect ECONNREFUSED');
    });

    it('keeps a failed mail with its error, erases its token, and never hands it out again', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [claimed] = await outbox.claimDue(at(1), LEASE, 10);

      expect(await outbox.markFailed(mail.id, claimed!.leaseId, at(2), 'link expired')).to.equal(true);

      const stored = await world.read(mail.id);
      expect(stored).to.deep.include({ status: 'failed', lastError: 'link expired', sealedToken: undefined });
      expect(await outbox.pendingCount()).to.equal(0);
      expect(await outbox.claimDue(at(10 * LEASE), LEASE, 10)).to.deep.equal([]);
    });

    it('keeps the account a mail is about', async () => {
      const mail = aMail({ userId: '0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90' });
      await outbox.enqueue(mail);
      const [claimed] = await outbox.claimDue(at(1), LEASE, 10);
      expect(claimed?.userId).to.equal(mail.userId);
    });

    it('claims a batch under one lease, and a renewed lease keeps every other instance off it', async () => {
      const mails = [aMail(), aMail({ to: 'b@example.com' })];
      for (const mail of mails) await outbox.enqueue(mail);
      const claimed = await outbox.claimDue(at(1), LEASE, 10);
      expect(new Set(claimed.map((mail) => mail.leaseId)).size).to.equal(1);

      expect(await outbox.renewLease(claimed[0]!.leaseId, at(3 * LEASE))).to.equal(2);

      expect(await world.otherInstance.claimDue(at(2 * LEASE), LEASE, 10), 'past the first lease, within the renewed one').to.deep.equal([]);
      expect(await world.otherInstance.claimDue(at(3 * LEASE), LEASE, 10)).to.have.lengthOf(2);
    });

    it('takes back at once, with the attempt not counted, what a worker releases unattempted', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [claimed] = await outbox.claimDue(at(1), LEASE, 10);

      expect(await outbox.release(claimed!.leaseId, [mail.id], at(2))).to.equal(1);

      const [again] = await world.otherInstance.claimDue(at(2), LEASE, 10);
      expect(again).to.deep.include({ id: mail.id, attempts: 0 });
      expect(await outbox.release(claimed!.leaseId, [mail.id], at(3)), 'a lease taken over releases nothing').to.equal(0);
    });

    it('counts the attempts whose outcome was unknown', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [first] = await outbox.claimDue(at(1), LEASE, 10);
      await outbox.markRetry(mail.id, first!.leaseId, at(2), 'CONN: Timeout', true);
      const [second] = await outbox.claimDue(at(2), LEASE, 10);
      await outbox.markRetry(mail.id, second!.leaseId, at(3), '451 try later');
      const [third] = await outbox.claimDue(at(3), LEASE, 10);
      expect(third).to.deep.include({ attempts: 2, uncertainAttempts: 1 });
    });

    it('purges in bounded batches sent and failed mail queued before the cut-off, never a pending one', async () => {
      const old = [aMail(), aMail(), aMail()];
      const pending = aMail();
      const recent = aMail({ createdAt: at(10 * LEASE) });
      for (const mail of [...old, pending, recent]) await outbox.enqueue(mail);
      const claimed = await outbox.claimDue(at(10 * LEASE), LEASE, 10);
      const lease = (id: string) => claimed.find((mail) => mail.id === id)!.leaseId;
      await outbox.markDone(old[0]!.id, lease(old[0]!.id), at(10 * LEASE));
      await outbox.markDone(old[1]!.id, lease(old[1]!.id), at(10 * LEASE));
      await outbox.markFailed(old[2]!.id, lease(old[2]!.id), at(10 * LEASE), '550 no such mailbox');
      await outbox.markDone(recent.id, lease(recent.id), at(10 * LEASE));
      await outbox.release(lease(pending.id), [pending.id], at(10 * LEASE));

      expect(await outbox.purgeSettled(at(5 * LEASE), 2)).to.equal(2);
      expect(await outbox.purgeSettled(at(5 * LEASE), 2)).to.equal(1);
      expect(await outbox.purgeSettled(at(5 * LEASE), 2)).to.equal(0);

      for (const mail of old) expect(await world.read(mail.id)).to.equal(undefined);
      expect((await world.read(pending.id))?.status).to.equal('pending');
      expect((await world.read(recent.id))?.status).to.equal('sent');
    });

    it('keeps stored requests and mail in two lanes: each claim hands out its own lane only', async () => {
      const mail = aMail();
      const request = aMail({ kind: 'password_reset_request', params: { client: '198.51.100.7' }, sealedToken: undefined });
      const verification = aMail({ kind: 'verification_request', params: {}, sealedToken: undefined });
      for (const item of [mail, request, verification]) await outbox.enqueue(item);

      expect((await outbox.claimDue(at(1), LEASE, 10)).map((item) => item.id)).to.deep.equal([mail.id]);
      const requests = await outbox.claimDue(at(1), LEASE, 10, 'requests');
      expect(requests.map((item) => item.id).sort()).to.deep.equal([request.id, verification.id].sort());
      expect(requests.find((item) => item.id === request.id)).to.deep.include({ kind: 'password_reset_request', to: 'someone@example.com', params: { client: '198.51.100.7' } });
      expect(await outbox.pendingCount()).to.equal(3);
    });

    it('purges settled requests like settled mail, and erases a request\'s client once it is settled', async () => {
      const request = aMail({ kind: 'verification_request', params: { client: '198.51.100.7' }, sealedToken: undefined });
      const waiting = aMail({ kind: 'password_reset_request', params: {}, sealedToken: undefined, createdAt: at(1) });
      await outbox.enqueue(request);
      await outbox.enqueue(waiting);
      const [claimed] = await outbox.claimDue(at(10), LEASE, 1, 'requests');
      expect(claimed?.id).to.equal(request.id);
      await outbox.markDone(request.id, claimed!.leaseId, at(10));
      const settled = await world.read(request.id);
      expect(settled?.status).to.equal('sent');
      expect(settled?.params ?? {}).to.deep.equal({});

      expect(await outbox.purgeSettled(at(5 * LEASE), 10)).to.equal(1);
      expect(await world.read(request.id)).to.equal(undefined);
      expect((await world.read(waiting.id))?.status).to.equal('pending');
    });

    it('hands out at most the limit, the longest due first', async () => {
      const mails = [aMail({ createdAt: at(3) }), aMail({ createdAt: at(1) }), aMail({ createdAt: at(2) })];
      for (const mail of mails) await outbox.enqueue(mail);

      const claimed = await outbox.claimDue(at(10), LEASE, 2);

      expect(claimed.map((mail) => mail.id)).to.deep.equal([mails[1]!.id, mails[2]!.id]);
    });

    it('never hands one mail to two instances claiming at the same moment', async () => {
      const mails = Array.from({ length: 20 }, (_, i) => aMail({ createdAt: at(i) }));
      for (const mail of mails) await outbox.enqueue(mail);

      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? outbox : world.otherInstance).claimDue(at(100), LEASE, 5)),
      );

      const ids = claims.flat().map((mail) => mail.id);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids).to.have.lengthOf(20);
    });
  });
}
