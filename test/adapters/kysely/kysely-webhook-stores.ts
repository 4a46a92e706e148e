import { sql } from 'kysely';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyUnitOfWork } from '../../../adapters/kysely/kysely-unit-of-work.js';
import { KyselyWebhookDeliveryQueue } from '../../../adapters/kysely/kysely-webhook-delivery-queue.js';
import { KyselyWebhookEndpointRepository } from '../../../adapters/kysely/kysely-webhook-endpoint-repository.js';
import { webhookStoresContract } from '../../contract/webhook-stores.contract.js';

/** The webhook stores' contract over one engine; `other` is another pool (or the same handle on PGlite). */
export function kyselyWebhookStoreContracts(engine: string, handles: () => { handle: DatabaseHandle; other: DatabaseHandle }): void {
  webhookStoresContract(`Kysely webhook stores (${engine})`, async () => {
    const { handle, other } = handles();
    // Claims see every due delivery, so each test starts from empty tables.
    await sql`delete from webhook_endpoints`.execute(handle.db);
    return {
      endpoints: new KyselyWebhookEndpointRepository(handle.db),
      deliveries: new KyselyWebhookDeliveryQueue(handle.db),
      otherDeliveries: new KyselyWebhookDeliveryQueue(other.db),
      unitOfWork: new KyselyUnitOfWork(handle.db),
      async close() {},
    };
  });
}
