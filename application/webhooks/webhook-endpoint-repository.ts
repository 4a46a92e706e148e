import type { AuditEventType } from '../../domain/index.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';

/** The receivers superusers registered. Few rows, read on every audited change (`subscribedTo`). */
export interface WebhookEndpointRepository {
  add(endpoint: WebhookEndpoint): Promise<void>;
  find(id: string): Promise<WebhookEndpoint | undefined>;
  /** Oldest first. */
  list(): Promise<WebhookEndpoint[]>;
  /** The enabled endpoints that take `type` (by name or by `*`). */
  subscribedTo(type: AuditEventType): Promise<WebhookEndpoint[]>;
  /**
   * One atomic read-decide-write: `change` sees the endpoint as stored (locked against other writers) and returns
   * what to store. Returns both versions, or undefined when there is no such endpoint.
   */
  updateWith(id: string, change: (current: WebhookEndpoint) => WebhookEndpoint): Promise<{ before: WebhookEndpoint; after: WebhookEndpoint } | undefined>;
  /** Its deliveries go with it. False when there was none. */
  remove(id: string): Promise<boolean>;
}
