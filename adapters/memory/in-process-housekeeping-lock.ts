import type { HousekeepingLock } from '../../application/housekeeping/housekeeping-lock.js';

/**
 * One housekeeping round at a time in this process: enough where every writer is in this process (memory, and
 * PGlite, whose data directory one process holds).
 */
export class InProcessHousekeepingLock implements HousekeepingLock {
  #held = false;

  async runExclusive<T>(work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.#held) return { ran: false };
    this.#held = true;
    try {
      return { ran: true, value: await work() };
    } finally {
      this.#held = false;
    }
  }
}
