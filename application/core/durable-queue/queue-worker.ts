import type { Clock } from '../../ports/clock.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { FailureStreak, type StreakEnded, type StreakStarted } from './failure-streak.js';
import type { LeasedItem, LeasedQueue } from './leased-queue.js';
import { PaceMeter } from './pace-meter.js';
import { decideAfter, type RetryDecision, type RetryPolicy } from './retry-policy.js';

export interface QueueWorkerPolicy {
  /**
   * How long a claim keeps other workers off an item. Renewed every third of it while the worker still holds the
   * item, so an attempt longer than the lease (an SMTP relay may take 10 minutes to answer DATA) is never
   * re-claimed by another instance mid-attempt, while a crashed worker's items come back within one lease.
   */
  readonly leaseMs: number;
  /** Items claimed per pass at most; fewer when the receiver's measured pace says they would wait too long. */
  readonly maxBatch: number;
  /** Attempts in flight at once (the SMTP pool's connections). */
  readonly concurrency: number;
  /** The fallback when no wake-up comes: how stale an item committed elsewhere can get before it is seen. */
  readonly pollIntervalMs: number;
  readonly retry: RetryPolicy;
}

/** How one kind of item is delivered: the only part of the queue that knows what the items are. */
export interface QueueHandler<Item extends LeasedItem> {
  /** One attempt. A thrown error counts as a transient failure (nothing was handed over). */
  attempt(item: Item): Promise<AttemptOutcome>;
  /** After the item was marked failed for good: whatever else a final failure means (an audit event). */
  failed?(item: Item, reason: string, cause: FailureCause): Promise<void>;
}

export type FailureCause = 'permanent' | 'expired' | 'uncertain';

/** What the worker reports, for logs and metrics. No method is called once per retry with a log in mind. */
export interface QueueObserver<Item extends LeasedItem> {
  /** Every attempt with its outcome and duration: for counters, never for a log line. */
  attempted(item: Item, outcome: AttemptOutcome, durationMs: number): void;
  delivered(item: Item, secondsSinceQueued: number): void;
  /** Given up for good; once per item. */
  failed(item: Item, reason: string, cause: FailureCause): void;
  /** The receiver started failing (transient or unknown outcomes): once per streak. */
  failing(started: StreakStarted): void;
  /** The first delivery after a streak, with its counts. */
  recovered(ended: StreakEnded): void;
  /** A pass itself failed (the queue could not be read or written): the loop carries on at its next wake-up. */
  passFailed(error: unknown): void;
}

/** Something that wakes the worker sooner than its poll (a commit in process, a NOTIFY from another instance). */
export interface WakeUp {
  wait(timeoutMs: number): Promise<void>;
  wake(): void;
}

/**
 * Delivers what a `LeasedQueue` holds: claims a batch sized to the receiver's pace under a lease, runs up to
 * `concurrency` attempts at once, renews the lease while it holds items, records each outcome as `RetryPolicy`
 * says, and hands back at once what it did not start (stopping, a failed pass, or items that waited too long).
 * Nothing lives only in this object: a restart, or another instance once a lease expires, picks up what was left.
 */
export class LeasedQueueWorker<Item extends LeasedItem> {
  readonly #pace = new PaceMeter();
  readonly #streak: FailureStreak;
  #running = false;
  #stopping = false;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly queue: LeasedQueue<Item>,
    private readonly handler: QueueHandler<Item>,
    private readonly clock: Clock,
    private readonly wakeUp: WakeUp,
    private readonly observer: QueueObserver<Item>,
    private readonly policy: QueueWorkerPolicy,
  ) {
    if (!(policy.concurrency >= 1 && policy.maxBatch >= 1 && policy.leaseMs > 0)) throw new RangeError('concurrency, maxBatch and leaseMs must be positive');
    this.#streak = new FailureStreak(
      (started) => observer.failing(started),
      (ended) => observer.recovered(ended),
    );
  }

  /** The receiver's measured time per attempt, once there is one. */
  get averageAttemptMs(): number | undefined {
    return this.#pace.averageMs;
  }

  /** One pass over what is due now; returns how many items it claimed. */
  async deliverDue(): Promise<number> {
    return (await this.#pass()).claimed;
  }

  /** Runs passes until `stop`: at once, at every wake-up, and every `pollIntervalMs` otherwise. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** Lets the attempts in flight finish and be recorded, hands back at once what was claimed but not started. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping = true;
    this.wakeUp.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      try {
        // A full batch suggests more are due: go again before waiting.
        for (;;) {
          if (!this.#running) break;
          const { claimed, limit } = await this.#pass();
          if (claimed < limit) break;
        }
      } catch (error) {
        this.observer.passFailed(error);
      }
      if (this.#running) await this.wakeUp.wait(this.policy.pollIntervalMs);
    }
  }

  async #pass(): Promise<{ claimed: number; limit: number }> {
    // What the connections can start within half a lease at the measured pace: the rest stays free for others.
    const window = this.policy.leaseMs / 2;
    const limit = this.#pace.claimLimit(window, this.policy.concurrency, this.policy.maxBatch);
    const claimedAt = this.clock.now();
    const items = await this.queue.claimDue(claimedAt, this.policy.leaseMs, limit);
    if (items.length === 0) return { claimed: 0, limit };
    const leaseId = items[0]!.leaseId;
    const waiting = [...items];
    let broken: unknown;
    const renewal = setInterval(() => {
      this.queue.renewLease(leaseId, new Date(this.clock.now().getTime() + this.policy.leaseMs)).catch((error: unknown) => this.observer.passFailed(error));
    }, Math.max(1, Math.floor(this.policy.leaseMs / 3)));
    renewal.unref();
    const lane = async () => {
      for (;;) {
        // Stopping, or a lane failed: what is not started goes back at once rather than waiting out its lease.
        // An item that waited half a lease goes back too: the pace was misjudged, another worker may be free.
        if (this.#stopping || broken !== undefined || this.clock.now().getTime() - claimedAt.getTime() > window) return;
        const item = waiting.shift();
        if (item === undefined) return;
        try {
          await this.#attemptOne(item);
        } catch (error) {
          broken ??= error;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.policy.concurrency, items.length) }, lane));
    } finally {
      clearInterval(renewal);
      if (waiting.length > 0) await this.queue.release(leaseId, waiting.map((item) => item.id), this.clock.now());
    }
    if (broken !== undefined) throw broken;
    return { claimed: items.length, limit };
  }

  async #attemptOne(item: Item): Promise<void> {
    const started = this.clock.now();
    if (started >= item.deadline) return this.#settle(item, { kind: 'fail', reason: 'expired before it could be delivered', cause: 'expired' });
    let outcome: AttemptOutcome;
    try {
      outcome = await this.handler.attempt(item);
    } catch (error) {
      outcome = { kind: 'transient', reason: error instanceof Error ? error.message : String(error) };
    }
    const now = this.clock.now();
    const durationMs = now.getTime() - started.getTime();
    this.#pace.observe(durationMs);
    this.observer.attempted(item, outcome, durationMs);
    this.#streak.record(outcome, now);
    await this.#settle(item, decideAfter(outcome, item, now, this.policy.retry));
  }

  async #settle(item: Item, decision: RetryDecision): Promise<void> {
    const now = this.clock.now();
    switch (decision.kind) {
      case 'done':
        await this.queue.markDone(item.id, item.leaseId, now);
        this.observer.delivered(item, Math.max(0, (now.getTime() - item.createdAt.getTime()) / 1000));
        return;
      case 'retry':
        await this.queue.markRetry(item.id, item.leaseId, decision.at, decision.reason, decision.uncertain);
        return;
      case 'fail':
        if (!(await this.queue.markFailed(item.id, item.leaseId, now, decision.reason))) return;
        this.observer.failed(item, decision.reason, decision.cause);
        await this.handler.failed?.(item, decision.reason, decision.cause);
        return;
    }
  }
}
