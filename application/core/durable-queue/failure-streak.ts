import type { AttemptOutcome } from './attempt-outcome.js';

/** The first failure of a streak, reported once. */
export interface StreakStarted {
  readonly since: Date;
  readonly firstReason: string;
}

/** The end of a streak, reported once, with what it cost. */
export interface StreakEnded {
  readonly since: Date;
  readonly until: Date;
  /** Attempts that failed transiently or with an unknown outcome during the streak. */
  readonly failedAttempts: number;
  readonly lastReason: string;
}

/**
 * Turns a stream of attempt outcomes into two events: the receiver started failing, and it recovered. An outage
 * with 10,000 items pending used to log one warning per retry (330 lines a second); this logs two lines in all.
 * Permanent refusals are about one item, not the receiver, and do not start a streak.
 */
export class FailureStreak {
  #since: Date | undefined;
  #failedAttempts = 0;
  #lastReason = '';

  constructor(
    private readonly onStart: (started: StreakStarted) => void,
    private readonly onEnd: (ended: StreakEnded) => void,
  ) {}

  get failing(): boolean {
    return this.#since !== undefined;
  }

  record(outcome: AttemptOutcome, at: Date): void {
    if (outcome.kind === 'delivered') {
      if (this.#since === undefined) return;
      const ended = { since: this.#since, until: at, failedAttempts: this.#failedAttempts, lastReason: this.#lastReason };
      this.#since = undefined;
      this.#failedAttempts = 0;
      this.onEnd(ended);
      return;
    }
    if (outcome.kind === 'permanent') return;
    this.#failedAttempts += 1;
    this.#lastReason = outcome.reason;
    if (this.#since !== undefined) return;
    this.#since = at;
    this.onStart({ since: at, firstReason: outcome.reason });
  }
}
