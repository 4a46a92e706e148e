import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { HousekeepingLock } from './housekeeping-lock.js';

export interface HousekeepingPolicy {
  /** Rows one statement deletes at most: a backlog goes in short statements, never one long lock. */
  readonly batchSize: number;
  /** Between rounds (HOUSEKEEPING_INTERVAL_SECONDS); the first runs at start. */
  readonly intervalMs: number;
}

export const DEFAULT_HOUSEKEEPING_POLICY: HousekeepingPolicy = { batchSize: 5_000, intervalMs: 3_600_000 };

/** What one job did in a round. */
export interface JobReport {
  readonly name: string;
  readonly removed: number;
  readonly batches: number;
  /** The longest batch, in milliseconds: each is one statement, so this bounds the longest statement. */
  readonly slowestBatchMs: number;
  /** Set when the job failed; the round went on with the next job. */
  readonly error?: unknown;
}

export interface RoundReport {
  readonly jobs: readonly JobReport[];
  readonly durationMs: number;
}

export interface HousekeepingObserver {
  /** Once per round that ran, with every job's counts: the one log line of a round. */
  roundFinished(report: RoundReport): void;
  /** Another instance holds the lock: this one's round is skipped. */
  roundSkipped(): void;
  /** The round could not run at all (the lock's connection failed). */
  roundFailed(error: unknown): void;
}

/**
 * Runs every registered purge, each in bounded batches until nothing is due, one instance at a time, at start-up
 * and every `intervalMs`. One mechanism for every feature, instead of a timer per purge.
 */
export class Housekeeping {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #round: Promise<RoundReport | undefined> | undefined;
  #stopping = false;

  constructor(
    private readonly jobs: readonly HousekeepingJob[],
    private readonly lock: HousekeepingLock,
    private readonly observer: HousekeepingObserver,
    private readonly policy: HousekeepingPolicy = DEFAULT_HOUSEKEEPING_POLICY,
  ) {
    if (!Number.isInteger(policy.batchSize) || policy.batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  }

  get jobNames(): readonly string[] {
    return this.jobs.map((job) => job.name);
  }

  /** One round now; undefined when another instance holds the lock (or the round could not start). */
  async runRound(): Promise<RoundReport | undefined> {
    let outcome;
    try {
      outcome = await this.lock.runExclusive(() => this.#runJobs());
    } catch (error) {
      this.observer.roundFailed(error);
      return undefined;
    }
    if (!outcome.ran) {
      this.observer.roundSkipped();
      return undefined;
    }
    this.observer.roundFinished(outcome.value);
    return outcome.value;
  }

  /** A round at once, then one every `intervalMs` after the previous ended; rounds never overlap. */
  start(): void {
    this.#stopping = false;
    const next = () => {
      this.#round = this.runRound().finally(() => {
        this.#round = undefined;
        // unref: a pending round never keeps the process alive.
        if (!this.#stopping) this.#timer = setTimeout(next, this.policy.intervalMs).unref?.();
      });
    };
    next();
  }

  /** No new round; the one under way stops after its current batch. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#round;
  }

  async #runJobs(): Promise<RoundReport> {
    const started = performance.now();
    const jobs: JobReport[] = [];
    for (const job of this.jobs) {
      if (this.#stopping) break;
      jobs.push(await this.#drain(job));
    }
    return { jobs, durationMs: performance.now() - started };
  }

  async #drain(job: HousekeepingJob): Promise<JobReport> {
    let removed = 0;
    let batches = 0;
    let slowestBatchMs = 0;
    try {
      for (;;) {
        const started = performance.now();
        const count = await job.runBatch(this.policy.batchSize);
        slowestBatchMs = Math.max(slowestBatchMs, performance.now() - started);
        batches += 1;
        removed += count;
        if (count < this.policy.batchSize || this.#stopping) break;
      }
    } catch (error) {
      return { name: job.name, removed, batches, slowestBatchMs, error };
    }
    return { name: job.name, removed, batches, slowestBatchMs };
  }
}
