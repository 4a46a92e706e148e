import { expect } from 'chai';
import { TOKENS } from '../../bootstrap/tokens.js';
import { newTimeOrderedId, type AuditEvent } from '../../application/index.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer } from '../support/test-server.js';
import { until } from '../support/throwaway-services.js';
import { TEST_SECRET } from './http-api.suite.js';

const DAY_MS = 86_400_000;

function eventDaysAgo(days: number): AuditEvent {
  const at = new Date(Date.now() - days * DAY_MS);
  return { id: newTimeOrderedId(at), type: 'login.failed', at, userId: null, actorId: null, ip: '192.0.2.1', userAgent: null, details: { days } };
}

describe('the security history past AUDIT_RETENTION_DAYS', function () {
  let scratch: ScratchDatabase | undefined;
  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
  });
  after(async () => scratch?.drop());

  it('is purged by the service beside the ended sessions; younger events stay', async () => {
    const start = (days: string) => startTestServer({ DATABASE_URL: scratch!.url, SECRET_KEY: TEST_SECRET, AUDIT_RETENTION_DAYS: days });
    // A retention that keeps everything, so this instance's own purge cannot race the seeding.
    const seeding = await start('3650');
    try {
      const log = await seeding.container.getAsync(TOKENS.AuditLog);
      for (const days of [400, 31, 29, 1]) await log.record(eventDaysAgo(days));
    } finally {
      await seeding.close();
    }

    const server = await start('30');
    try {
      const log = await server.container.getAsync(TOKENS.AuditLog);
      const kept = async () => (await log.list({ type: 'login.failed' }, { limit: 10 })).map((event) => event.details.days);
      await until('events older than 30 days purged', async () => (await kept()).length === 2, 10_000);
      expect(await kept()).to.deep.equal([1, 29]);
      // The housekeeping round's one line names what each purge removed.
      expect(server.logLines.some((line) => (line.removed as Record<string, number> | undefined)?.['audit-events'] === 2)).to.equal(true);
    } finally {
      await server.close();
    }
  });
});
