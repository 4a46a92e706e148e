import { newTimeOrderedId, type AuditEvent } from '../../domain/index.js';
import type { AuditFilter, AuditLog, AuditPageQuery } from '../ports/audit-log.js';
import type { NewWebhookDelivery, WebhookDeliveryQueue } from './webhook-delivery-queue.js';
import type { WebhookEndpointRepository } from './webhook-endpoint-repository.js';
import { webhookBodyFor } from './webhook-payload.js';

/** A delivery not made by then is failed whatever the schedule says: a backstop, the schedule ends well before. */
export const DELIVERY_DEADLINE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The audit log, and for each event one delivery per enabled endpoint that takes its type. Built over the stores
 * of a unit of work, the deliveries commit or roll back with the event, and so with the change the event
 * describes: no webhook reports a change that did not happen, none is lost for one that did. `queued` is told
 * when a record queued deliveries (the unit of work wakes the worker once it has committed).
 */
export class WebhookFanOut implements AuditLog {
  constructor(
    private readonly log: AuditLog,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryQueue,
    private readonly queued: () => void = () => {},
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.log.record(event);
    const endpoints = await this.endpoints.subscribedTo(event.type);
    if (endpoints.length === 0) return;
    const payload = JSON.stringify(webhookBodyFor(event));
    const deadline = new Date(event.at.getTime() + DELIVERY_DEADLINE_MS);
    const deliveries: NewWebhookDelivery[] = endpoints.map((endpoint) => ({
      id: newTimeOrderedId(event.at),
      endpointId: endpoint.id,
      eventId: event.id,
      type: event.type,
      payload,
      createdAt: event.at,
      deadline,
    }));
    await this.deliveries.enqueue(deliveries);
    this.queued();
  }

  list(filter: AuditFilter, page: AuditPageQuery): Promise<AuditEvent[]> {
    return this.log.list(filter, page);
  }

  purgeBefore(before: Date, batchSize: number): Promise<number> {
    return this.log.purgeBefore(before, batchSize);
  }
}
