import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemorySessionRepository } from '../../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUnitOfWork } from '../../../adapters/memory/in-memory-unit-of-work.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { InMemoryWebhookDeliveryQueue } from '../../../adapters/memory/in-memory-webhook-delivery-queue.js';
import { InMemoryWebhookEndpointRepository } from '../../../adapters/memory/in-memory-webhook-endpoint-repository.js';
import { webhookStoresContract } from '../../contract/webhook-stores.contract.js';

webhookStoresContract('In-memory webhook stores', async () => {
  const users = new InMemoryUserRepository();
  const deliveries = new InMemoryWebhookDeliveryQueue();
  const endpoints = new InMemoryWebhookEndpointRepository(deliveries);
  const unitOfWork = new InMemoryUnitOfWork({
    users,
    sessions: new InMemorySessionRepository(users),
    oneTimeTokens: new InMemoryOneTimeTokenStore(),
    outbox: new InMemoryMailOutbox(),
    audit: new InMemoryAuditLog(),
    webhookEndpoints: endpoints,
    webhookDeliveries: deliveries,
  });
  return { endpoints, deliveries, otherDeliveries: deliveries, unitOfWork, async close() {} };
});
