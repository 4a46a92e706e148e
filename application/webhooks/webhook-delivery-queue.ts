import type { AuditEventType } from '../../domain/index.js';
import type { LeasedItem, LeasedQueue } from '../core/durable-queue/index.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one endpoint. Its id is the `webhook-id` of every attempt: receivers deduplicate on it. */
export interface NewWebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  /** The audit event it reports (or a fresh id for a test event). */
  readonly eventId: string;
  readonly type: string;
  /** The exact body every attempt sends and signs: `{type, timestamp, data}` as JSON. */
  readonly payload: string;
  readonly createdAt: Date;
  /** After this it is failed rather than tried again (a backstop: the retry schedule ends earlier). */
  readonly deadline: Date;
}

/** A delivery a worker holds the lease of. */
export interface ClaimedWebhookDelivery extends NewWebhookDelivery, LeasedItem {}

/** A delivery as `GET /webhooks/{id}/deliveries` shows it: no payload (it may be large) and no lease. */
export interface WebhookDeliverySummary {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly type: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastResponseCode: number | undefined;
  readonly lastError: string | undefined;
  /** When the next attempt is due; undefined once delivered or failed. */
  readonly nextAttemptAt: Date | undefined;
  readonly createdAt: Date;
}

/**
 * Webhook deliveries waiting or done, stored in the unit of work of the change that caused them (see
 * `WebhookFanOut`), delivered by the durable queue's worker: leases, so several instances share the work and a
 * crash loses nothing, and at least once.
 */
export interface WebhookDeliveryQueue extends LeasedQueue<ClaimedWebhookDelivery> {
  enqueue(deliveries: readonly NewWebhookDelivery[]): Promise<void>;
  /** The HTTP status of the latest attempt (null when none came: timeout, refused connection, refused target). */
  recordResponse(id: string, leaseId: string, status: number | null): Promise<boolean>;
  /** Newest first, only deliveries whose id sorts before `before`; at most `limit`. */
  listForEndpoint(endpointId: string, before: string | undefined, limit: number): Promise<WebhookDeliverySummary[]>;
  /** Deletes up to `limit` delivered or failed deliveries created before `before`; returns how many. */
  purgeSettled(before: Date, limit: number): Promise<number>;
  pendingCount(): Promise<number>;
}

/** The event types a delivery may carry: the audit trail's, and the test event. */
export type WebhookEventType = AuditEventType | 'webhook.test';
