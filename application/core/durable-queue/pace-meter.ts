/**
 * The receiver's measured pace: a moving average of how long attempts take. The worker claims only what its
 * connections can start within one lease at that pace, so a slow relay does not leave claimed items waiting
 * behind each other while other instances sit idle.
 */
export class PaceMeter {
  #averageMs: number | undefined;

  /** `weight`: how much the newest attempt counts in the average. */
  constructor(private readonly weight = 0.2) {}

  observe(durationMs: number): void {
    const ms = Math.max(0, durationMs);
    this.#averageMs = this.#averageMs === undefined ? ms : this.#averageMs + this.weight * (ms - this.#averageMs);
  }

  get averageMs(): number | undefined {
    return this.#averageMs;
  }

  /**
   * How many items to claim: what `concurrency` attempts in parallel start within `windowMs` at the measured pace,
   * at least one per connection (those start at once), at most `max`. Before any measurement: one per connection.
   */
  claimLimit(windowMs: number, concurrency: number, max: number): number {
    const floor = Math.min(concurrency, max);
    if (this.#averageMs === undefined) return floor;
    const fits = Math.floor((concurrency * windowMs) / Math.max(1, this.#averageMs));
    return Math.max(floor, Math.min(max, fits));
  }
}
