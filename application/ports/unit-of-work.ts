import type { AuditLog } from './audit-log.js';
import type { MailOutbox } from './mail-outbox.js';
import type { OneTimeTokenStore } from './one-time-token-store.js';
import type { SessionRepository } from './session-repository.js';
import type { UserRepository } from './user-repository.js';
import type { WebhookDeliveryQueue } from '../webhooks/webhook-delivery-queue.js';
import type { WebhookEndpointRepository } from '../webhooks/webhook-endpoint-repository.js';

/**
 * The stores a use case may change together. One member per store; a new store that must change atomically with
 * the others (the audit trail, two-factor factors) becomes one more member, and each adapter builds it over its
 * transaction.
 */
export interface TransactionalStores {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly oneTimeTokens: OneTimeTokenStore;
  readonly outbox: MailOutbox;
  /** The security history: an event commits with the change it describes. */
  readonly audit: AuditLog;
  readonly webhookEndpoints: WebhookEndpointRepository;
  /** Deliveries commit with the audit event that causes them (the unit of work's `audit` fans out to it). */
  readonly webhookDeliveries: WebhookDeliveryQueue;
}

/**
 * Runs `work` so that every change it makes through `stores` happens, or none does: a rejection rolls all of them
 * back and is rethrown. `work` must use only the stores it is given, and must not send mail or call out: the
 * outbox is how a change has a mail sent once it commits.
 */
export interface UnitOfWork {
  run<T>(work: (stores: TransactionalStores) => Promise<T>): Promise<T>;
}
