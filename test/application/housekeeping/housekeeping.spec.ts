import { expect } from 'chai';
import { InProcessHousekeepingLock } from '../../../adapters/memory/in-process-housekeeping-lock.js';
import { Housekeeping, type HousekeepingJob, type HousekeepingObserver, type RoundReport } from '../../../application/index.js';
import { eventually } from '../../support/eventually.js';

/** A job over `backlog` rows that records the size of every batch it was asked for. */
function aJob(name: string, backlog: number, fail?: Error) {
  const asked: number[] = [];
  let left = backlog;
  const job: HousekeepingJob = {
    name,
    async runBatch(limit) {
      asked.push(limit);
      if (fail) throw fail;
      const removed = Math.min(limit, left);
      left -= removed;
      return removed;
    },
  };
  return { job, asked, left: () => left };
}

function recording() {
  const reports: RoundReport[] = [];
  let skipped = 0;
  const failures: unknown[] = [];
  const observer: HousekeepingObserver = {
    roundFinished: (report) => reports.push(report),
    roundSkipped: () => (skipped += 1),
    roundFailed: (error) => failures.push(error),
  };
  return { observer, reports, skipped: () => skipped, failures };
}

describe('Housekeeping', () => {
  it('runs every job in batches of the configured size until one comes back short, and reports the counts', async () => {
    const sessions = aJob('sessions', 25);
    const tokens = aJob('one-time-tokens', 0);
    const log = recording();
    const housekeeping = new Housekeeping([sessions.job, tokens.job], new InProcessHousekeepingLock(), log.observer, { batchSize: 10, intervalMs: 60_000 });

    const report = await housekeeping.runRound();

    expect(sessions.asked).to.deep.equal([10, 10, 10]);
    expect(tokens.asked).to.deep.equal([10]);
    expect(report?.jobs.map(({ name, removed, batches }) => ({ name, removed, batches }))).to.deep.equal([
      { name: 'sessions', removed: 25, batches: 3 },
      { name: 'one-time-tokens', removed: 0, batches: 1 },
    ]);
    expect(log.reports).to.have.lengthOf(1);
  });

  it('goes on with the other jobs when one fails, and reports the failure', async () => {
    const broken = aJob('audit-events', 5, new Error('statement timeout'));
    const mail = aJob('mail-outbox', 3);
    const log = recording();
    const housekeeping = new Housekeeping([broken.job, mail.job], new InProcessHousekeepingLock(), log.observer, { batchSize: 10, intervalMs: 60_000 });

    const report = await housekeeping.runRound();

    expect(mail.left()).to.equal(0);
    expect((report?.jobs[0]?.error as Error).message).to.equal('statement timeout');
    expect(report?.jobs[1]).to.deep.include({ name: 'mail-outbox', removed: 3 });
  });

  it('skips the round at once while another instance holds the lock', async () => {
    const job = aJob('sessions', 5);
    const log = recording();
    const housekeeping = new Housekeeping([job.job], { runExclusive: async () => ({ ran: false }) }, log.observer);

    expect(await housekeeping.runRound()).to.equal(undefined);
    expect(job.asked).to.deep.equal([]);
    expect(log.skipped()).to.equal(1);
  });

  it('runs a round at start, and stops between batches when asked', async () => {
    let batches = 0;
    let stopping: Promise<void> | undefined;
    const log = recording();
    const endless: HousekeepingJob = {
      name: 'endless',
      async runBatch(limit) {
        batches += 1;
        if (batches === 3) stopping = housekeeping.stop();
        return limit;
      },
    };
    const housekeeping = new Housekeeping([endless], new InProcessHousekeepingLock(), log.observer, { batchSize: 10, intervalMs: 60_000 });

    housekeeping.start();
    await eventually('the round to stop', async () => log.reports.length === 1);
    await stopping;

    expect(batches).to.equal(3);
    expect(log.reports[0]?.jobs[0]).to.deep.include({ removed: 30, batches: 3 });
  });
});
