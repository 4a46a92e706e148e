import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { AesGcmSecretBox } from '../../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemorySessionRepository } from '../../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUnitOfWork } from '../../../adapters/memory/in-memory-unit-of-work.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { InMemoryWebhookDeliveryQueue } from '../../../adapters/memory/in-memory-webhook-delivery-queue.js';
import { InMemoryWebhookEndpointRepository } from '../../../adapters/memory/in-memory-webhook-endpoint-repository.js';
import { InProcessMailWakeUp } from '../../../adapters/memory/in-process-mail-wake-up.js';
import { StandardWebhooksSigner } from '../../../adapters/standardwebhooks/standard-webhooks-signer.js';
import { AuditTrail } from '../../../application/core/audit-trail.js';
import { newWebhookSecret } from '../../../application/webhooks/webhook-endpoint.js';
import { webhookDeliveryPolicy, WebhookDeliveryWorker } from '../../../application/webhooks/webhook-delivery-worker.js';
import { ForbiddenWebhookTarget } from '../../../application/webhooks/webhook-errors.js';
import type { WebhookRequest, WebhookResponse } from '../../../application/webhooks/webhook-sender.js';
import { newTimeOrderedId } from '../../../domain/index.js';
import { anEndpoint } from '../../contract/webhook-stores.contract.js';
import { FakeClock } from '../../support/fake-clock.js';

const DAY = 86_400_000;

/** A world on the memory stores with a scripted receiver and a clock moved by hand. */
function world(answer: (request: WebhookRequest) => WebhookResponse, refuse = false, delays = [5_000, 300_000, DAY, DAY, DAY, DAY, DAY]) {
  const clock = new FakeClock('2026-12-01T10:00:00.000Z');
  const users = new InMemoryUserRepository();
  const deliveries = new InMemoryWebhookDeliveryQueue();
  const endpoints = new InMemoryWebhookEndpointRepository(deliveries);
  const auditLog = new InMemoryAuditLog();
  const unitOfWork = new InMemoryUnitOfWork({
    users,
    sessions: new InMemorySessionRepository(users),
    oneTimeTokens: new InMemoryOneTimeTokenStore(),
    outbox: new InMemoryMailOutbox(),
    audit: auditLog,
    webhookEndpoints: endpoints,
    webhookDeliveries: deliveries,
  });
  const box = new AesGcmSecretBox(new Uint8Array(32).fill(3));
  const sent: WebhookRequest[] = [];
  const worker = new WebhookDeliveryWorker(
    {
      queue: deliveries,
      endpoints,
      unitOfWork,
      audit: new AuditTrail(auditLog, clock),
      guard: {
        async check(url) {
          if (refuse) throw new ForbiddenWebhookTarget();
          return { url: new URL(url), address: '93.184.215.14', family: 4 };
        },
      },
      sender: {
        async post(request) {
          sent.push(request);
          return answer(request);
        },
      },
      signer: new StandardWebhooksSigner(),
      box,
      clock,
      wakeUp: new InProcessMailWakeUp(),
      observer: { attempted() {}, delivered() {}, failed() {}, failing() {}, recovered() {}, passFailed() {} },
    },
    webhookDeliveryPolicy(delays),
  );
  return { clock, deliveries, endpoints, auditLog, box, sent, worker };
}

async function queueOne(w: ReturnType<typeof world>, secret = newWebhookSecret()) {
  const endpoint = anEndpoint({ sealedSecret: w.box.seal(secret), createdAt: w.clock.now() });
  await w.endpoints.add(endpoint);
  const id = newTimeOrderedId(w.clock.now());
  const now = w.clock.now();
  await w.deliveries.enqueue([{ id, endpointId: endpoint.id, eventId: id, type: 'user.registered', payload: '{"type":"user.registered"}', createdAt: now, deadline: new Date(now.getTime() + 30 * DAY) }]);
  return { endpoint, id, secret };
}

describe('WebhookDeliveryWorker', () => {
  it('signs each attempt afresh, and waits the schedule between them', async () => {
    const w = world(() => ({ status: 503 }));
    const { id, secret } = await queueOne(w);

    await w.worker.deliverDue();
    w.clock.advance(4_999);
    await w.worker.deliverDue();
    expect(w.sent).to.have.length(1);
    w.clock.advance(1);
    await w.worker.deliverDue();
    expect(w.sent).to.have.length(2);

    const [first, second] = w.sent;
    expect(first!.headers['webhook-id']).to.equal(id);
    expect(second!.headers['webhook-timestamp']).to.not.equal(first!.headers['webhook-timestamp']);
    // The reference verifier accepts each as of its own time.
    const verifier = new Webhook(secret);
    expect(() => verifier.verify(second!.body, second!.headers as Record<string, string>)).to.throw(/timestamp/i);
    const [summary] = await w.deliveries.listForEndpoint((await w.endpoints.list())[0]!.id, undefined, 1);
    expect(summary).to.deep.include({ status: 'pending', attempts: 2, lastResponseCode: 503 });
  });

  it('fails a delivery after the last delay of the schedule', async () => {
    const w = world(() => ({ status: null, error: 'no answer within 10 s' }), false, [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
    const { endpoint } = await queueOne(w);
    for (let i = 0; i < 9; i++) {
      await w.worker.deliverDue();
      w.clock.advance(1_000);
    }
    const [summary] = await w.deliveries.listForEndpoint(endpoint.id, undefined, 1);
    expect(summary).to.deep.include({ status: 'failed', attempts: 8, lastResponseCode: undefined });
    expect(summary!.lastError).to.include('given up after 8 attempts');
  });

  it('disables an endpoint failing for five days, once, with a webhook.disabled event', async () => {
    const w = world(() => ({ status: 500 }));
    const { endpoint } = await queueOne(w);
    for (let day = 0; day < 6; day++) {
      await w.worker.deliverDue();
      w.clock.advance(DAY);
    }
    const after = await w.endpoints.find(endpoint.id);
    expect(after).to.deep.include({ enabled: false });
    const events = await w.auditLog.list({ type: 'webhook.disabled' }, { limit: 10 });
    expect(events.map((e) => e.details.webhook_id)).to.deep.equal([endpoint.id]);
    const [summary] = await w.deliveries.listForEndpoint(endpoint.id, undefined, 1);
    expect(summary!.status).to.equal('failed');
  });

  it('clears the failure record at the first delivered attempt', async () => {
    let status = 500;
    const w = world(() => ({ status }));
    const { endpoint } = await queueOne(w);
    await w.worker.deliverDue();
    expect((await w.endpoints.find(endpoint.id))!.failingSince).to.be.instanceOf(Date);
    status = 200;
    w.clock.advance(5_000);
    await w.worker.deliverDue();
    expect((await w.endpoints.find(endpoint.id))!.failingSince).to.equal(undefined);
  });

  it('skips a target refused at delivery time, and records why', async () => {
    const w = world(() => ({ status: 200 }), true);
    const { endpoint } = await queueOne(w);
    await w.worker.deliverDue();
    expect(w.sent).to.deep.equal([]);
    const [summary] = await w.deliveries.listForEndpoint(endpoint.id, undefined, 1);
    expect(summary).to.deep.include({ status: 'failed', lastResponseCode: undefined });
    expect(summary!.lastError).to.match(/^target refused/);
  });
});
