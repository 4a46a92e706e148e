import { randomUUID } from 'node:crypto';
import { isMailRequestKind, type ClaimedMail, type MailOutbox, type NewOutboxMail, type OutboxLane } from '../../application/ports/mail-outbox.js';
import type { Snapshottable } from './snapshottable.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** A stored mail as the memory outbox keeps it; also what tests read back. */
export interface StoredMail extends NewOutboxMail {
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly uncertainAttempts: number;
  readonly nextAttemptAt: Date;
  readonly leaseId: string | undefined;
  readonly lastError: string | undefined;
  readonly sentAt: Date | undefined;
}

/**
 * The outbox in a map, for tests, embedding and `DATABASE_URL=memory` (where mail pending at exit is lost with
 * everything else). Each method is atomic on the event loop, so two workers in one process never claim one mail.
 */
export class InMemoryMailOutbox implements MailOutbox, Snapshottable {
  #mails = new Map<string, StoredMail>();

  async enqueue(mail: NewOutboxMail): Promise<void> {
    if (this.#mails.has(mail.id)) throw new Error(`duplicate mail id ${mail.id}`);
    this.#mails.set(mail.id, {
      ...mail,
      status: 'pending',
      attempts: 0,
      uncertainAttempts: 0,
      nextAttemptAt: mail.createdAt,
      leaseId: undefined,
      lastError: undefined,
      sentAt: undefined,
    });
  }

  async claimDue(now: Date, leaseMs: number, limit: number, lane: OutboxLane = 'mail'): Promise<ClaimedMail[]> {
    const due = [...this.#mails.values()]
      .filter((mail) => mail.status === 'pending' && mail.nextAttemptAt <= now && isMailRequestKind(mail.kind) === (lane === 'requests'))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
    const leaseId = randomUUID();
    return due.map((mail) => {
      const leased = { ...mail, leaseId, nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: mail.attempts + 1 };
      this.#mails.set(mail.id, leased);
      return toClaimed(leased, mail.attempts);
    });
  }

  async renewLease(leaseId: string, until: Date): Promise<number> {
    const held = [...this.#mails.values()].filter((mail) => mail.status === 'pending' && mail.leaseId === leaseId);
    for (const mail of held) this.#mails.set(mail.id, { ...mail, nextAttemptAt: until });
    return held.length;
  }

  async release(leaseId: string, ids: readonly string[], now: Date): Promise<number> {
    let released = 0;
    for (const id of ids) {
      if (this.#settle(id, leaseId, (mail) => ({ ...mail, nextAttemptAt: now, attempts: mail.attempts - 1, leaseId: undefined }))) released += 1;
    }
    return released;
  }

  async markDone(id: string, leaseId: string, now: Date): Promise<boolean> {
    return this.#settle(id, leaseId, (mail) => ({ ...mail, status: 'sent', sentAt: now, params: {}, sealedToken: undefined, leaseId: undefined }));
  }

  async markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string, uncertain = false): Promise<boolean> {
    return this.#settle(id, leaseId, (mail) => ({
      ...mail,
      nextAttemptAt,
      lastError: error,
      leaseId: undefined,
      uncertainAttempts: mail.uncertainAttempts + (uncertain ? 1 : 0),
    }));
  }

  async markFailed(id: string, leaseId: string, _now: Date, error: string): Promise<boolean> {
    return this.#settle(id, leaseId, (mail) => ({ ...mail, status: 'failed', lastError: error, sealedToken: undefined, leaseId: undefined }));
  }

  async pendingCount(): Promise<number> {
    return [...this.#mails.values()].filter((mail) => mail.status === 'pending').length;
  }

  async purgeSettled(before: Date, limit: number): Promise<number> {
    const due = [...this.#mails.values()].filter((mail) => mail.status !== 'pending' && mail.createdAt < before).slice(0, limit);
    for (const mail of due) this.#mails.delete(mail.id);
    return due.length;
  }

  /** Every mail, oldest first, for tests and the development tools. */
  all(): StoredMail[] {
    return [...this.#mails.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  snapshot(): () => void {
    const saved = new Map(this.#mails);
    return () => {
      this.#mails = saved;
    };
  }

  #settle(id: string, leaseId: string, change: (mail: StoredMail) => StoredMail): boolean {
    const mail = this.#mails.get(id);
    if (!mail || mail.status !== 'pending' || mail.leaseId !== leaseId) return false;
    this.#mails.set(id, change(mail));
    return true;
  }
}

function toClaimed(mail: StoredMail, previousAttempts: number): ClaimedMail {
  return {
    id: mail.id,
    kind: mail.kind,
    to: mail.to,
    params: mail.params,
    sealedToken: mail.sealedToken,
    userId: mail.userId,
    createdAt: mail.createdAt,
    deadline: mail.deadline,
    leaseId: mail.leaseId!,
    attempts: previousAttempts,
    uncertainAttempts: mail.uncertainAttempts,
  };
}
