import { expect } from 'chai';
import type { UnitOfWork } from '../../application/ports/unit-of-work.js';
import type { NewWebhookDelivery, WebhookDeliveryQueue } from '../../application/webhooks/webhook-delivery-queue.js';
import { WebhookEndpoint, type WebhookEventFilter } from '../../application/webhooks/webhook-endpoint.js';
import type { WebhookEndpointRepository } from '../../application/webhooks/webhook-endpoint-repository.js';
import { newTimeOrderedId, type AuditEvent } from '../../domain/index.js';

export interface WebhookStoresUnderTest {
  readonly endpoints: WebhookEndpointRepository;
  readonly deliveries: WebhookDeliveryQueue;
  /** The same store as another instance sees it (another pool for a database). */
  readonly otherDeliveries: WebhookDeliveryQueue;
  readonly unitOfWork: UnitOfWork;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;

export function anEndpoint(overrides: Partial<ConstructorParameters<typeof WebhookEndpoint>[0]> = {}): WebhookEndpoint {
  const createdAt = overrides.createdAt ?? T0;
  return new WebhookEndpoint({
    id: newTimeOrderedId(createdAt),
    url: 'https://receiver.example/hook',
    events: ['user.registered'] as WebhookEventFilter[],
    description: 'a receiver',
    enabled: true,
    sealedSecret: 'sealed-1',
    sealedPreviousSecret: undefined,
    previousSecretExpiresAt: undefined,
    failingSince: undefined,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  });
}

function aDelivery(endpointId: string, overrides: Partial<NewWebhookDelivery> = {}): NewWebhookDelivery {
  const createdAt = overrides.createdAt ?? T0;
  return {
    id: newTimeOrderedId(createdAt),
    endpointId,
    eventId: newTimeOrderedId(createdAt),
    type: 'user.registered',
    payload: '{"type":"user.registered"}',
    createdAt,
    deadline: at(86_400_000),
    ...overrides,
  };
}

function anEvent(type: AuditEvent['type']): AuditEvent {
  return { id: newTimeOrderedId(T0), type, at: T0, userId: null, actorId: null, ip: null, userAgent: null, details: {} };
}

/** One specification for the webhook stores and their place in the unit of work, run on every adapter. */
export function webhookStoresContract(name: string, factory: () => Promise<WebhookStoresUnderTest>): void {
  describe(`${name} (webhook stores contract)`, function () {
    let world: WebhookStoresUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => world.close());

    it('keeps an endpoint with every field and lists endpoints oldest first', async () => {
      const later = anEndpoint({ createdAt: at(1_000), events: ['*'], previousSecretExpiresAt: at(5), sealedPreviousSecret: 'sealed-0', failingSince: at(3) });
      const first = anEndpoint();
      await world.endpoints.add(later);
      await world.endpoints.add(first);

      expect(await world.endpoints.find(later.id)).to.deep.equal(later);
      expect((await world.endpoints.list()).map((e) => e.id)).to.deep.equal([first.id, later.id]);
      expect(await world.endpoints.find(newTimeOrderedId(T0))).to.equal(undefined);
    });

    it('finds the enabled endpoints that take a type, by name or by "*"', async () => {
      const byName = anEndpoint({ events: ['user.deleted'] });
      const all = anEndpoint({ events: ['*'], createdAt: at(1) });
      const other = anEndpoint({ events: ['login.succeeded'], createdAt: at(2) });
      const disabled = anEndpoint({ events: ['*'], enabled: false, createdAt: at(3) });
      for (const endpoint of [byName, all, other, disabled]) await world.endpoints.add(endpoint);

      expect((await world.endpoints.subscribedTo('user.deleted')).map((e) => e.id)).to.deep.equal([byName.id, all.id]);
    });

    it('changes an endpoint in one read-decide-write and removes it with its deliveries', async () => {
      const endpoint = anEndpoint();
      await world.endpoints.add(endpoint);
      await world.deliveries.enqueue([aDelivery(endpoint.id)]);

      const result = await world.endpoints.updateWith(endpoint.id, (current) => current.with({ enabled: false, failingSince: at(9) }));

      expect(result?.before.enabled).to.equal(true);
      expect(await world.endpoints.find(endpoint.id)).to.deep.equal(result?.after);
      expect(await world.endpoints.updateWith(newTimeOrderedId(T0), (c) => c)).to.equal(undefined);
      expect(await world.endpoints.remove(endpoint.id)).to.equal(true);
      expect(await world.endpoints.remove(endpoint.id)).to.equal(false);
      expect(await world.deliveries.listForEndpoint(endpoint.id, undefined, 10)).to.deep.equal([]);
      expect(await world.deliveries.pendingCount()).to.equal(0);
    });

    it('hands a due delivery to one claimant at a time, the lease guarding every mark', async () => {
      const endpoint = anEndpoint();
      await world.endpoints.add(endpoint);
      const delivery = aDelivery(endpoint.id);
      await world.deliveries.enqueue([delivery]);

      const [claimed] = await world.deliveries.claimDue(at(1), LEASE, 10);
      expect(claimed).to.deep.include({ ...delivery, attempts: 0, uncertainAttempts: 0 });
      expect(await world.otherDeliveries.claimDue(at(2), LEASE, 10)).to.deep.equal([]);
      expect(await world.deliveries.markDone(delivery.id, newTimeOrderedId(T0), at(3))).to.equal(false);

      expect(await world.deliveries.recordResponse(delivery.id, claimed!.leaseId, 503)).to.equal(true);
      expect(await world.deliveries.markRetry(delivery.id, claimed!.leaseId, at(5_000), 'answered 503')).to.equal(true);
      expect(await world.deliveries.claimDue(at(4_999), LEASE, 10)).to.deep.equal([]);
      const [again] = await world.otherDeliveries.claimDue(at(5_000), LEASE, 10);
      expect(again?.attempts).to.equal(1);

      const [summary] = await world.deliveries.listForEndpoint(endpoint.id, undefined, 10);
      expect(summary).to.deep.include({ status: 'pending', attempts: 2, lastResponseCode: 503, lastError: 'answered 503' });
      expect(await world.otherDeliveries.markDone(delivery.id, again!.leaseId, at(5_001))).to.equal(true);
      const [done] = await world.deliveries.listForEndpoint(endpoint.id, undefined, 10);
      expect(done).to.deep.include({ status: 'delivered', attempts: 2, nextAttemptAt: undefined });
      expect(await world.deliveries.pendingCount()).to.equal(0);
    });

    it('hands a crashed worker\'s delivery out again once its lease expires; a release gives the attempt back', async () => {
      const endpoint = anEndpoint();
      await world.endpoints.add(endpoint);
      const delivery = aDelivery(endpoint.id);
      await world.deliveries.enqueue([delivery]);
      await world.deliveries.claimDue(at(1), LEASE, 10);

      const [taken] = await world.otherDeliveries.claimDue(at(LEASE + 2), LEASE, 10);
      expect(taken?.attempts).to.equal(1);
      expect(await world.otherDeliveries.release(taken!.leaseId, [delivery.id], at(LEASE + 3))).to.equal(1);
      const [back] = await world.deliveries.claimDue(at(LEASE + 3), LEASE, 10);
      expect(back?.attempts).to.equal(1);
      expect(await world.deliveries.markFailed(delivery.id, back!.leaseId, at(LEASE + 4), 'given up')).to.equal(true);
      const [failed] = await world.deliveries.listForEndpoint(endpoint.id, undefined, 10);
      expect(failed).to.deep.include({ status: 'failed', lastError: 'given up' });
    });

    it('lists an endpoint\'s deliveries newest first, by keyset', async () => {
      const endpoint = anEndpoint();
      await world.endpoints.add(endpoint);
      const three = [aDelivery(endpoint.id, { createdAt: at(1) }), aDelivery(endpoint.id, { createdAt: at(2) }), aDelivery(endpoint.id, { createdAt: at(3) })];
      await world.deliveries.enqueue(three);

      const page = await world.deliveries.listForEndpoint(endpoint.id, undefined, 2);
      expect(page.map((d) => d.id)).to.deep.equal([three[2]!.id, three[1]!.id]);
      const rest = await world.deliveries.listForEndpoint(endpoint.id, page[1]!.id, 2);
      expect(rest.map((d) => d.id)).to.deep.equal([three[0]!.id]);
    });

    it('purges settled deliveries past the retention in bounded batches, never a pending one', async () => {
      const endpoint = anEndpoint();
      await world.endpoints.add(endpoint);
      const old = [aDelivery(endpoint.id), aDelivery(endpoint.id), aDelivery(endpoint.id)];
      await world.deliveries.enqueue(old);
      const claimed = await world.deliveries.claimDue(at(1), LEASE, 2);
      for (const d of claimed) await world.deliveries.markDone(d.id, d.leaseId, at(2));

      expect(await world.deliveries.purgeSettled(at(10), 1)).to.equal(1);
      expect(await world.deliveries.purgeSettled(at(10), 10)).to.equal(1);
      expect(await world.deliveries.purgeSettled(at(10), 10)).to.equal(0);
      expect(await world.deliveries.pendingCount()).to.equal(1);
    });

    it('queues a delivery for each subscribed endpoint with the audit event, in its unit of work', async () => {
      const taker = anEndpoint({ events: ['user.deleted'] });
      const bystander = anEndpoint({ events: ['login.succeeded'], createdAt: at(1) });
      await world.endpoints.add(taker);
      await world.endpoints.add(bystander);

      await world.unitOfWork.run((stores) => stores.audit.record(anEvent('user.deleted')));
      const failed = world.unitOfWork.run(async (stores) => {
        await stores.audit.record(anEvent('user.deleted'));
        throw new Error('the change failed');
      });
      await failed.then(
        () => expect.fail('should have rolled back'),
        (error: Error) => expect(error.message).to.equal('the change failed'),
      );

      const queued = await world.deliveries.listForEndpoint(taker.id, undefined, 10);
      expect(queued.map((d) => d.type)).to.deep.equal(['user.deleted']);
      expect(await world.deliveries.listForEndpoint(bystander.id, undefined, 10)).to.deep.equal([]);
    });
  });
}
