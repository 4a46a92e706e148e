import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { Clock } from '../ports/clock.js';
import type { WebhookDeliveryQueue } from './webhook-delivery-queue.js';

/** Forgets delivered and failed deliveries created more than WEBHOOK_RETENTION_DAYS ago. A housekeeping job. */
export class PurgeSettledDeliveries implements HousekeepingJob {
  readonly name = 'webhook-deliveries';

  constructor(
    private readonly deliveries: WebhookDeliveryQueue,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.deliveries.purgeSettled(new Date(this.clock.now().getTime() - this.retentionMs), limit);
  }
}
