/**
 * One kind of cleaning: deletes at most `limit` rows that are due (expired, ended, past a retention) and returns
 * how many went. Fewer than `limit` means nothing is left. A feature adds one by binding one to
 * `TOKENS.HousekeepingJob` in its module; the housekeeping round runs every job it finds.
 */
export interface HousekeepingJob {
  /** Short and stable, for the round's log line (`sessions`, `audit-events`). */
  readonly name: string;
  runBatch(limit: number): Promise<number>;
}
