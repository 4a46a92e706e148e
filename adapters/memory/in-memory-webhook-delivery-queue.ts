import { randomUUID } from 'node:crypto';
import type {
  ClaimedWebhookDelivery,
  DeliveryStatus,
  NewWebhookDelivery,
  WebhookDeliveryQueue,
  WebhookDeliverySummary,
} from '../../application/webhooks/webhook-delivery-queue.js';
import { restoreMap, type Snapshottable } from './snapshottable.js';

/** A delivery as the memory queue keeps it; also what tests read back. */
export interface StoredDelivery extends NewWebhookDelivery {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly uncertainAttempts: number;
  readonly nextAttemptAt: Date;
  readonly leaseId: string | undefined;
  readonly lastResponseCode: number | undefined;
  readonly lastError: string | undefined;
}

/** The webhook queue in a map, for tests and `DATABASE_URL=memory`. Each method is atomic on the event loop. */
export class InMemoryWebhookDeliveryQueue implements WebhookDeliveryQueue, Snapshottable {
  readonly #deliveries = new Map<string, StoredDelivery>();

  async enqueue(deliveries: readonly NewWebhookDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      if (this.#deliveries.has(delivery.id)) throw new Error(`duplicate delivery id ${delivery.id}`);
      this.#deliveries.set(delivery.id, {
        ...delivery,
        status: 'pending',
        attempts: 0,
        uncertainAttempts: 0,
        nextAttemptAt: delivery.createdAt,
        leaseId: undefined,
        lastResponseCode: undefined,
        lastError: undefined,
      });
    }
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedWebhookDelivery[]> {
    const leaseId = randomUUID();
    const due = [...this.#deliveries.values()]
      .filter((d) => d.status === 'pending' && d.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, limit);
    return due.map((d) => {
      const leased = { ...d, leaseId, nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: d.attempts + 1 };
      this.#deliveries.set(d.id, leased);
      return { ...toNew(leased), leaseId, attempts: d.attempts, uncertainAttempts: d.uncertainAttempts };
    });
  }

  async renewLease(leaseId: string, until: Date): Promise<number> {
    let renewed = 0;
    for (const d of this.#deliveries.values()) {
      if (d.leaseId === leaseId && d.status === 'pending') {
        this.#deliveries.set(d.id, { ...d, nextAttemptAt: until });
        renewed += 1;
      }
    }
    return renewed;
  }

  async release(leaseId: string, ids: readonly string[], now: Date): Promise<number> {
    let released = 0;
    for (const id of ids) {
      const d = this.#deliveries.get(id);
      if (d?.leaseId !== leaseId || d.status !== 'pending') continue;
      this.#deliveries.set(id, { ...d, leaseId: undefined, nextAttemptAt: now, attempts: d.attempts - 1 });
      released += 1;
    }
    return released;
  }

  async markDone(id: string, leaseId: string): Promise<boolean> {
    return this.#settle(id, leaseId, (d) => ({ ...d, status: 'delivered', leaseId: undefined, lastError: undefined }));
  }

  async markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string, uncertain = false): Promise<boolean> {
    return this.#settle(id, leaseId, (d) => ({ ...d, nextAttemptAt, lastError: error, leaseId: undefined, uncertainAttempts: d.uncertainAttempts + (uncertain ? 1 : 0) }));
  }

  async markFailed(id: string, leaseId: string, _now: Date, error: string): Promise<boolean> {
    return this.#settle(id, leaseId, (d) => ({ ...d, status: 'failed', lastError: error, leaseId: undefined }));
  }

  async recordResponse(id: string, leaseId: string, status: number | null): Promise<boolean> {
    return this.#settle(id, leaseId, (d) => ({ ...d, lastResponseCode: status ?? undefined }));
  }

  async listForEndpoint(endpointId: string, before: string | undefined, limit: number): Promise<WebhookDeliverySummary[]> {
    return [...this.#deliveries.values()]
      .filter((d) => d.endpointId === endpointId && (before === undefined || d.id < before))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map(toSummary);
  }

  async purgeSettled(before: Date, limit: number): Promise<number> {
    const doomed = [...this.#deliveries.values()].filter((d) => d.status !== 'pending' && d.createdAt < before).slice(0, limit);
    for (const d of doomed) this.#deliveries.delete(d.id);
    return doomed.length;
  }

  async pendingCount(): Promise<number> {
    return [...this.#deliveries.values()].filter((d) => d.status === 'pending').length;
  }

  /** The endpoint's deliveries go with it, as the database's foreign key cascades. */
  removeEndpoint(endpointId: string): void {
    for (const d of [...this.#deliveries.values()]) if (d.endpointId === endpointId) this.#deliveries.delete(d.id);
  }

  /** Every delivery as stored, for tests. */
  all(): StoredDelivery[] {
    return [...this.#deliveries.values()];
  }

  snapshot(): () => void {
    return restoreMap(this.#deliveries);
  }

  #settle(id: string, leaseId: string, change: (d: StoredDelivery) => StoredDelivery): boolean {
    const d = this.#deliveries.get(id);
    if (!d || d.leaseId !== leaseId || d.status !== 'pending') return false;
    this.#deliveries.set(id, change(d));
    return true;
  }
}

function toNew(d: StoredDelivery): NewWebhookDelivery {
  return { id: d.id, endpointId: d.endpointId, eventId: d.eventId, type: d.type, payload: d.payload, createdAt: d.createdAt, deadline: d.deadline };
}

function toSummary(d: StoredDelivery): WebhookDeliverySummary {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    lastResponseCode: d.lastResponseCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : undefined,
    createdAt: d.createdAt,
  };
}
