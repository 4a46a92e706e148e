import type { MailWakeUp } from '../../application/email/mail-wake-up.js';

/**
 * Wakes the delivery worker of this process. On PGlite and in memory every writer is in this process, so this is
 * all it takes; on PostgreSQL a LISTEN connection calls `wake` for commits made by other instances too.
 */
export class InProcessMailWakeUp implements MailWakeUp {
  #waiters = new Set<() => void>();
  /** A wake-up with nobody waiting is kept, so a commit that lands between two waits is not missed. */
  #pending = false;
  readonly #followers: MailWakeUp[] = [];

  /**
   * Wakes `other` too at every wake-up, after the current turn of the event loop: the request worker waits on its
   * own, woken by the same commits, and starts resolving only once the answer of the request that committed has
   * been written (its work, heavier for a known address, must not delay that answer; on PGlite it runs on this
   * thread).
   */
  alsoWake(other: MailWakeUp): void {
    this.#followers.push(other);
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
    });
  }

  wake(): void {
    for (const follower of this.#followers) setImmediate(() => follower.wake());
    if (this.#waiters.size === 0) {
      this.#pending = true;
      return;
    }
    for (const waiter of [...this.#waiters]) waiter();
  }
}
