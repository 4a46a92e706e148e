import type { AuditEventType } from '../../domain/index.js';
import type { WebhookEndpoint } from '../../application/webhooks/webhook-endpoint.js';
import type { WebhookEndpointRepository } from '../../application/webhooks/webhook-endpoint-repository.js';
import { restoreMap, type Snapshottable } from './snapshottable.js';

/** Webhook endpoints in a map. Each method is atomic on the event loop. */
export class InMemoryWebhookEndpointRepository implements WebhookEndpointRepository, Snapshottable {
  readonly #endpoints = new Map<string, WebhookEndpoint>();

  /** `deliveries`: told of a removal, so an endpoint's deliveries go with it as the database's cascade does. */
  constructor(private readonly deliveries?: { removeEndpoint(id: string): void }) {}

  async add(endpoint: WebhookEndpoint): Promise<void> {
    if (this.#endpoints.has(endpoint.id)) throw new Error(`duplicate webhook id ${endpoint.id}`);
    this.#endpoints.set(endpoint.id, endpoint);
  }

  async find(id: string): Promise<WebhookEndpoint | undefined> {
    return this.#endpoints.get(id);
  }

  async list(): Promise<WebhookEndpoint[]> {
    return [...this.#endpoints.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }

  async subscribedTo(type: AuditEventType): Promise<WebhookEndpoint[]> {
    return (await this.list()).filter((endpoint) => endpoint.subscribesTo(type));
  }

  async updateWith(id: string, change: (current: WebhookEndpoint) => WebhookEndpoint): Promise<{ before: WebhookEndpoint; after: WebhookEndpoint } | undefined> {
    const before = this.#endpoints.get(id);
    if (!before) return undefined;
    const after = change(before);
    this.#endpoints.set(id, after);
    return { before, after };
  }

  async remove(id: string): Promise<boolean> {
    const removed = this.#endpoints.delete(id);
    if (removed) this.deliveries?.removeEndpoint(id);
    return removed;
  }

  snapshot(): () => void {
    return restoreMap(this.#endpoints);
  }
}
