import { expect } from 'chai';
import { newTimeOrderedId, newUserId, type AuditEvent, type AuditEventType } from '../../domain/index.js';
import type { AuditLog } from '../../application/ports/audit-log.js';

export interface AuditLogUnderTest {
  readonly log: AuditLog;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-25T10:00:00.000Z');

function anEvent(overrides: Partial<AuditEvent> & { at: Date }): AuditEvent {
  return {
    id: newTimeOrderedId(overrides.at),
    type: 'login.succeeded',
    userId: null,
    actorId: null,
    ip: '203.0.113.7',
    userAgent: 'curl/8',
    details: {},
    ...overrides,
  };
}

/** Each test works on users of its own, so adapters may share one store across the suite. */
export function auditLogContract(name: string, factory: () => Promise<AuditLogUnderTest>): void {
  describe(`${name} (AuditLog contract)`, function () {
    let subject: AuditLogUnderTest;
    let log: AuditLog;

    beforeEach(async function () {
      subject = await factory();
      log = subject.log;
    });

    afterEach(async function () {
      await subject?.close();
    });

    async function history(userId: string, types: AuditEventType[]): Promise<AuditEvent[]> {
      const events = types.map((type, i) => anEvent({ type, userId, actorId: userId, at: new Date(T0.getTime() + i * 1000) }));
      // Recorded out of order: the list orders, not the insertion.
      for (const event of [...events].reverse()) await log.record(event);
      return events;
    }

    it('gives back every field as recorded, details included', async function () {
      const userId = newUserId(T0);
      const actorId = newUserId(T0);
      const event = anEvent({ type: 'admin.user_updated', userId, actorId, at: T0, details: { fields: ['is_active'], is_active: false } });
      await log.record(event);

      const [found] = await log.list({ userId }, { limit: 10 });
      expect(found).to.deep.equal(event);
    });

    it("lists one user's events newest first, in keyset pages that repeat nothing", async function () {
      const userId = newUserId(T0);
      const events = await history(userId, ['user.registered', 'login.succeeded', 'password.changed', 'session.ended', 'login.failed']);
      await history(newUserId(T0), ['user.registered', 'login.succeeded']);

      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await log.list({ userId }, { limit: 2, before });
        if (page.length === 0) break;
        seen.push(...page.map((event) => event.id));
        before = page.at(-1)!.id;
      }
      expect(seen).to.deep.equal(events.map((event) => event.id).reverse());
    });

    it('filters by type, with or without a user', async function () {
      const userId = newUserId(T0);
      await history(userId, ['login.succeeded', 'login.failed', 'login.succeeded']);

      const succeeded = await log.list({ userId, type: 'login.succeeded' }, { limit: 10 });
      expect(succeeded.map((event) => event.type)).to.deep.equal(['login.succeeded', 'login.succeeded']);
      const anyone = await log.list({ type: 'login.failed' }, { limit: 100 });
      expect(anyone.some((event) => event.userId === userId)).to.equal(true);
      expect(anyone.every((event) => event.type === 'login.failed')).to.equal(true);
    });

    it('keeps events of no user (a failed log-in for an unknown name)', async function () {
      const marker = `ua-${newTimeOrderedId(T0)}`;
      await log.record(anEvent({ type: 'login.failed', at: T0, userAgent: marker }));

      const failed = await log.list({ type: 'login.failed' }, { limit: 1000 });
      expect(failed.find((event) => event.userAgent === marker)?.userId).to.equal(null);
    });

    it('answers an empty page for a malformed user id or cursor', async function () {
      expect(await log.list({ userId: 'not-a-uuid' }, { limit: 10 })).to.deep.equal([]);
      expect(await log.list({}, { limit: 10, before: 'not-a-uuid' })).to.deep.equal([]);
    });

    it('purges in bounded batches only what happened before the cut-off', async function () {
      const userId = newUserId(T0);
      const old = Array.from({ length: 5 }, (_, i) => anEvent({ userId, at: new Date(T0.getTime() - 100 * 86_400_000 + i) }));
      const recent = anEvent({ userId, at: T0 });
      for (const event of [...old, recent]) await log.record(event);
      const cutOff = new Date(T0.getTime() - 90 * 86_400_000);

      let purged = 0;
      for (;;) {
        const batch = await log.purgeBefore(cutOff, 2);
        expect(batch).to.be.at.most(2);
        if (batch === 0) break;
        purged += batch;
      }

      expect(purged).to.be.at.least(5);
      expect((await log.list({ userId }, { limit: 10 })).map((event) => event.id)).to.deep.equal([recent.id]);
    });
  });
}
