import { expect } from 'chai';
import { Registry } from 'prom-client';
import { PrometheusAuditCounter } from '../../../adapters/prometheus/prometheus-audit-counter.js';
import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { AuditTrail } from '../../../application/index.js';
import { FakeClock } from '../../support/fake-clock.js';

async function counted(registry: Registry, type: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('audit_events_total')!.get();
  return metric.values.find((value) => value.labels.type === type)?.value;
}

describe('PrometheusAuditCounter', () => {
  it('counts each event the trail records by type, every type from zero, in a unit of work\'s log too', async () => {
    const registry = new Registry();
    const store = new InMemoryAuditLog();
    const trail = new AuditTrail(store, new FakeClock(), [new PrometheusAuditCounter(registry)]);

    expect(await counted(registry, 'login.failed')).to.equal(0);
    await trail.record('login.failed', { userId: null, actorId: null });
    await trail.record('login.failed', { userId: null, actorId: null });
    await trail.recordIn(new InMemoryAuditLog(), 'refresh.reuse_detected', { userId: null, actorId: null });

    expect(await counted(registry, 'login.failed')).to.equal(2);
    expect(await counted(registry, 'refresh.reuse_detected')).to.equal(1);
    expect(await counted(registry, 'mfa.enabled')).to.equal(0);
    expect(await store.list({}, { limit: 10 })).to.have.length(2);
    expect(await registry.metrics()).to.include('audit_events_total{type="login.failed"} 2');
  });
});
