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
      expect(claimed).to.deep.include({ ...mail, attempts: 0 });
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
      expect(await outbox.markSent(mail.id, first!.leaseId, at(LEASE + 2))).to.equal(false);
      expect(await world.otherInstance.markSent(mail.id, again!.leaseId, at(LEASE + 2))).to.equal(true);
    });

    it('erases the token and the parameters of a sent mail and never hands it out again', async () => {
      const mail = aMail();
      await outbox.enqueue(mail);
      const [claimed] = await outbox.claimDue(at(1), LEASE, 10);

      expect(await outbox.markSent(mail.id, claimed!.leaseId, at(2))).to.equal(true);

      const stored = await world.read(mail.id);
      expect(stored?.status).to.equal('sent');
      expect(stored?.sealedToken).to.equal(undefined);
      expect(Object.keys(stored?.params ?? {})).to.deep.equal([]);
      expect(await outbox.pendingCount()).to.equal(0);
      expect(await outbox.claimDue(at(10 * LEASE), LEASE, 10)).to.deep.equal([]);
      expect(await outbox.markSent(mail.id, claimed!.leaseId, at(3))).to.equal(false);
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
