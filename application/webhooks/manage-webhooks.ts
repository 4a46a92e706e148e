import { assertAdministers, newTimeOrderedId, type SessionOrigin, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { FreshAuthenticationGate, SensitiveRequester } from '../ports/fresh-authentication-gate.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';
import { keysetPage, type Page, type PageRequest } from '../core/pages.js';
import type { WebhookDeliveryQueue, WebhookDeliverySummary } from './webhook-delivery-queue.js';
import { newWebhookSecret, WebhookEndpoint, type WebhookEventFilter } from './webhook-endpoint.js';
import type { WebhookEndpointRepository } from './webhook-endpoint-repository.js';
import { WebhookNotFound } from './webhook-errors.js';
import { DELIVERY_DEADLINE_MS } from './webhook-fan-out.js';
import type { WebhookTargetGuard } from './webhook-target-guard.js';

/** Who asks, as the edge authenticated them (the bearer's user and session). */
export type WebhookRequester = SensitiveRequester;
export type { FreshAuthenticationGate } from '../ports/fresh-authentication-gate.js';

export interface NewWebhookInput {
  readonly url: string;
  readonly events: readonly WebhookEventFilter[];
  readonly description?: string | undefined;
}

export interface WebhookChanges {
  readonly url?: string | undefined;
  readonly events?: readonly WebhookEventFilter[] | undefined;
  readonly description?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** An endpoint with its secret in clear: answered once, at creation or rotation, and never again. */
export interface RevealedWebhook {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}

/**
 * Superusers manage webhook endpoints. Creating, changing, rotating and deleting are sensitive actions (fresh
 * authentication); each change commits with its audit event, which itself goes out to the endpoints that take it.
 * One class for eight thin operations over one set of ports.
 */
export class ManageWebhooks {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryQueue,
    private readonly unitOfWork: UnitOfWork,
    private readonly guard: WebhookTargetGuard,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly freshAuthentication: FreshAuthenticationGate,
    private readonly wakeWorker: () => void = () => {},
  ) {}

  /** Throws `NotASuperuser`, `ForbiddenWebhookTarget`, or what the fresh-authentication rule throws. */
  async create(requester: WebhookRequester, input: NewWebhookInput, origin: SessionOrigin = {}): Promise<RevealedWebhook> {
    assertAdministers(requester.user);
    await this.freshAuthentication.require(requester, undefined, origin);
    await this.guard.check(input.url);
    const now = this.clock.now();
    const secret = newWebhookSecret();
    const endpoint = new WebhookEndpoint({
      id: newTimeOrderedId(now),
      url: input.url,
      events: dedupe(input.events),
      description: input.description ?? '',
      enabled: true,
      sealedSecret: this.box.seal(secret),
      sealedPreviousSecret: undefined,
      previousSecretExpiresAt: undefined,
      failingSince: undefined,
      createdAt: now,
      updatedAt: now,
    });
    await this.unitOfWork.run(async (stores) => {
      await stores.webhookEndpoints.add(endpoint);
      await this.audit.recordIn(stores.audit, 'webhook.created', { userId: null, actorId: requester.user.id, origin, details: { webhook_id: endpoint.id, events: [...endpoint.events] } });
    });
    return { endpoint, secret };
  }

  /** Oldest first. Throws `NotASuperuser`. */
  async list(actor: User): Promise<WebhookEndpoint[]> {
    assertAdministers(actor);
    return this.endpoints.list();
  }

  /** Throws `NotASuperuser` or `WebhookNotFound`. */
  async get(actor: User, id: string): Promise<WebhookEndpoint> {
    assertAdministers(actor);
    const endpoint = await this.endpoints.find(id);
    if (!endpoint) throw new WebhookNotFound();
    return endpoint;
  }

  /** Throws `NotASuperuser`, `WebhookNotFound`, `ForbiddenWebhookTarget`, or the fresh-authentication rule's error. */
  async change(requester: WebhookRequester, id: string, changes: WebhookChanges, origin: SessionOrigin = {}): Promise<WebhookEndpoint> {
    assertAdministers(requester.user);
    await this.freshAuthentication.require(requester, undefined, origin);
    if (changes.url !== undefined) await this.guard.check(changes.url);
    const now = this.clock.now();
    const fields = Object.entries(changes).filter(([, value]) => value !== undefined).map(([key]) => key);
    return this.unitOfWork.run(async (stores) => {
      const result = await stores.webhookEndpoints.updateWith(id, (current) =>
        current.changed({ ...changes, events: changes.events === undefined ? undefined : dedupe(changes.events) }, now),
      );
      if (!result) throw new WebhookNotFound();
      const details = { webhook_id: id, fields, enabled: result.after.enabled, events: [...result.after.events] };
      await this.audit.recordIn(stores.audit, 'webhook.changed', { userId: null, actorId: requester.user.id, origin, details });
      return result.after;
    });
  }

  /** Its deliveries, waiting or done, go with it. Throws `NotASuperuser`, `WebhookNotFound`, or the fresh-authentication rule's error. */
  async remove(requester: WebhookRequester, id: string, origin: SessionOrigin = {}): Promise<void> {
    assertAdministers(requester.user);
    await this.freshAuthentication.require(requester, undefined, origin);
    await this.unitOfWork.run(async (stores) => {
      if (!(await stores.webhookEndpoints.remove(id))) throw new WebhookNotFound();
      await this.audit.recordIn(stores.audit, 'webhook.deleted', { userId: null, actorId: requester.user.id, origin, details: { webhook_id: id } });
    });
  }

  /** A new secret, shown once; the old one keeps signing alongside for 24 hours. Throws like `change`. */
  async rotateSecret(requester: WebhookRequester, id: string, origin: SessionOrigin = {}): Promise<RevealedWebhook> {
    assertAdministers(requester.user);
    await this.freshAuthentication.require(requester, undefined, origin);
    const secret = newWebhookSecret();
    const sealed = this.box.seal(secret);
    const now = this.clock.now();
    return this.unitOfWork.run(async (stores) => {
      const result = await stores.webhookEndpoints.updateWith(id, (current) => current.rotated(sealed, now));
      if (!result) throw new WebhookNotFound();
      await this.audit.recordIn(stores.audit, 'webhook.secret_rotated', { userId: null, actorId: requester.user.id, origin, details: { webhook_id: id } });
      return { endpoint: result.after, secret };
    });
  }

  /**
   * Queues a `webhook.test` event for this endpoint alone (whatever its `events`), delivered and signed like any
   * other. Returns the delivery's id (its `webhook-id`). Throws `NotASuperuser` or `WebhookNotFound`.
   */
  async sendTest(actor: User, id: string): Promise<string> {
    assertAdministers(actor);
    const endpoint = await this.endpoints.find(id);
    if (!endpoint) throw new WebhookNotFound();
    const now = this.clock.now();
    const deliveryId = newTimeOrderedId(now);
    const payload = JSON.stringify({ type: 'webhook.test', timestamp: now.toISOString(), data: { webhook_id: id, actor_id: actor.id } });
    await this.deliveries.enqueue([
      { id: deliveryId, endpointId: id, eventId: newTimeOrderedId(now), type: 'webhook.test', payload, createdAt: now, deadline: new Date(now.getTime() + DELIVERY_DEADLINE_MS) },
    ]);
    this.wakeWorker();
    return deliveryId;
  }

  /** Newest first, keyset pages. Throws `NotASuperuser`, `WebhookNotFound` or `InvalidCursor`. */
  async listDeliveries(actor: User, id: string, page: PageRequest): Promise<Page<WebhookDeliverySummary>> {
    assertAdministers(actor);
    if (!(await this.endpoints.find(id))) throw new WebhookNotFound();
    return keysetPage(`webhook-deliveries:${id}`, page, (before, limit) => this.deliveries.listForEndpoint(id, before, limit));
  }
}

function dedupe(events: readonly WebhookEventFilter[]): WebhookEventFilter[] {
  return [...new Set(events)];
}
