import type { Kysely } from 'kysely';
import type { TransactionalStores, UnitOfWork } from '../../application/ports/unit-of-work.js';
import type { Database } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { KyselyAuditLog } from './kysely-audit-log.js';
import { KyselyMailOutbox } from './kysely-mail-outbox.js';
import { KyselyOneTimeTokenStore } from './kysely-one-time-token-store.js';
import { KyselySessionRepository } from './kysely-session-repository.js';
import { KyselyUserRepository } from './kysely-user-repository.js';
import { KyselyWebhookDeliveryQueue } from './kysely-webhook-delivery-queue.js';
import { KyselyWebhookEndpointRepository } from './kysely-webhook-endpoint-repository.js';
import { WebhookFanOut } from '../../application/webhooks/webhook-fan-out.js';

export interface KyselyUnitOfWorkHooks {
  /** Called after a transaction that queued mail has committed: wakes this process's delivery worker. */
  readonly onMailCommitted?: () => void;
  /** Called after a transaction that queued webhook deliveries has committed: wakes this process's webhook worker. */
  readonly onWebhooksCommitted?: () => void;
}

/** One database transaction per run, with every repository built over it. */
export class KyselyUnitOfWork implements UnitOfWork {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hooks: KyselyUnitOfWorkHooks = {},
  ) {}

  async run<T>(work: (stores: TransactionalStores) => Promise<T>): Promise<T> {
    let mailQueued = false;
    let webhooksQueued = false;
    const result = await withTranslatedErrors(
      this.db.transaction().execute(async (trx) => {
        const outbox = new KyselyMailOutbox(trx);
        const enqueue = outbox.enqueue.bind(outbox);
        outbox.enqueue = async (mail) => {
          await enqueue(mail);
          mailQueued = true;
        };
        const webhookEndpoints = new KyselyWebhookEndpointRepository(trx);
        const webhookDeliveries = new KyselyWebhookDeliveryQueue(trx);
        return work({
          users: new KyselyUserRepository(trx),
          sessions: new KyselySessionRepository(trx),
          oneTimeTokens: new KyselyOneTimeTokenStore(trx),
          outbox,
          // Each event queues its webhook deliveries in this transaction.
          audit: new WebhookFanOut(new KyselyAuditLog(trx), webhookEndpoints, webhookDeliveries, () => (webhooksQueued = true)),
          webhookEndpoints,
          webhookDeliveries,
        });
      }),
    );
    if (mailQueued) this.hooks.onMailCommitted?.();
    if (webhooksQueued) this.hooks.onWebhooksCommitted?.();
    return result;
  }
}
