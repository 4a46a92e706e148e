import type { ClaimedMail, MailOutbox, NewOutboxMail, OutboxLane } from '../../application/ports/mail-outbox.js';
import type { TransactionalStores, UnitOfWork } from '../../application/ports/unit-of-work.js';
import { WebhookFanOut } from '../../application/webhooks/webhook-fan-out.js';
import { InMemoryWebhookDeliveryQueue } from './in-memory-webhook-delivery-queue.js';
import { InMemoryWebhookEndpointRepository } from './in-memory-webhook-endpoint-repository.js';
import type { Snapshottable } from './snapshottable.js';

type SnapshottableStores = { readonly [K in keyof TransactionalStores]: TransactionalStores[K] & Snapshottable };
type WebhookStores = 'webhookEndpoints' | 'webhookDeliveries';
/** The webhook stores may be left out (a program without webhooks): empty ones are made. */
type GivenStores = Omit<SnapshottableStores, WebhookStores> & Partial<Pick<SnapshottableStores, WebhookStores>>;

export interface UnitOfWorkHooks {
  /** Called after a run that queued mail has committed: wakes the delivery worker. */
  readonly onMailCommitted?: () => void;
  /** Called after a run that queued webhook deliveries has committed: wakes the webhook worker. */
  readonly onWebhooksCommitted?: () => void;
}

/**
 * Runs one unit at a time over the in-memory stores, and puts every store back as it was when a run fails.
 * Serialising runs is what makes the rollback safe: no other run's change can be caught in a restore. A change
 * made outside any run (a log-in opening a session) during a failed run is lost with it, which is acceptable for
 * the store of tests and throw-away deployments, and for nothing else.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  #queue: Promise<unknown> = Promise.resolve();

  private readonly stores: SnapshottableStores;

  constructor(
    stores: GivenStores,
    private readonly hooks: UnitOfWorkHooks = {},
  ) {
    const webhookDeliveries = stores.webhookDeliveries ?? new InMemoryWebhookDeliveryQueue();
    this.stores = { ...stores, webhookDeliveries, webhookEndpoints: stores.webhookEndpoints ?? new InMemoryWebhookEndpointRepository(webhookDeliveries instanceof InMemoryWebhookDeliveryQueue ? webhookDeliveries : undefined) };
  }

  run<T>(work: (stores: TransactionalStores) => Promise<T>): Promise<T> {
    const result = this.#queue.then(() => this.#runNow(work));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #runNow<T>(work: (stores: TransactionalStores) => Promise<T>): Promise<T> {
    const restores = Object.values(this.stores).map((store) => store.snapshot());
    let mailQueued = false;
    let webhooksQueued = false;
    const outbox = new EnqueueWatch(this.stores.outbox, () => (mailQueued = true));
    const audit = new WebhookFanOut(this.stores.audit, this.stores.webhookEndpoints, this.stores.webhookDeliveries, () => (webhooksQueued = true));
    try {
      const result = await work({ ...this.stores, outbox, audit });
      if (mailQueued) this.hooks.onMailCommitted?.();
      if (webhooksQueued) this.hooks.onWebhooksCommitted?.();
      return result;
    } catch (error) {
      for (const restore of restores) restore();
      throw error;
    }
  }
}

/** The outbox as a run sees it: the same store, noting that the run queued a mail. */
class EnqueueWatch implements MailOutbox {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly queued: () => void,
  ) {}

  async enqueue(mail: NewOutboxMail): Promise<void> {
    await this.outbox.enqueue(mail);
    this.queued();
  }

  claimDue(now: Date, leaseMs: number, limit: number, lane?: OutboxLane): Promise<ClaimedMail[]> {
    return this.outbox.claimDue(now, leaseMs, limit, lane);
  }

  renewLease(leaseId: string, until: Date): Promise<number> {
    return this.outbox.renewLease(leaseId, until);
  }

  release(leaseId: string, ids: readonly string[], now: Date): Promise<number> {
    return this.outbox.release(leaseId, ids, now);
  }

  markDone(id: string, leaseId: string, now: Date): Promise<boolean> {
    return this.outbox.markDone(id, leaseId, now);
  }

  markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string, uncertain?: boolean): Promise<boolean> {
    return this.outbox.markRetry(id, leaseId, nextAttemptAt, error, uncertain);
  }

  markFailed(id: string, leaseId: string, now: Date, error: string): Promise<boolean> {
    return this.outbox.markFailed(id, leaseId, now, error);
  }

  pendingCount(): Promise<number> {
    return this.outbox.pendingCount();
  }

  purgeSettled(before: Date, limit: number): Promise<number> {
    return this.outbox.purgeSettled(before, limit);
  }
}
