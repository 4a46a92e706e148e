import { ServiceUnavailable } from '../../application/errors.js';
import type { PasswordHasher } from '../../application/ports/password-hasher.js';

export interface BoundedPasswordHasherOptions {
  /** Hashes or verifications running at once; more gains no throughput once every core is busy. */
  readonly concurrency: number;
  /** Calls allowed to wait for a slot; one more is refused at once. 0 refuses whenever every slot is busy. */
  readonly queueMax: number;
  /** What a refused caller is told to wait, in seconds. Default 1. */
  readonly retryAfterSeconds?: number;
}

/**
 * Puts a bound on password hashing, the one slow thing the service does on purpose. Without it a flood of
 * log-ins queues unboundedly on libuv's thread pool: every log-in then waits seconds, and so does anything else
 * that needs the pool. Past `concurrency` running and `queueMax` waiting, a call fails at once with
 * `ServiceUnavailable('password_hasher')`, which the HTTP adapter answers with 503 and `Retry-After`.
 * Waiting calls are served first come, first served.
 */
export class BoundedPasswordHasher implements PasswordHasher {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly options: BoundedPasswordHasherOptions,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    if (!Number.isInteger(options.queueMax) || options.queueMax < 0) throw new RangeError('queueMax must be a whole number');
  }

  /** Calls hashing or verifying right now. */
  get running(): number {
    return this.#running;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  hash(password: string): Promise<string> {
    return this.#run(() => this.inner.hash(password));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.#run(() => this.inner.verify(password, hash));
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running < this.options.concurrency) {
      this.#running += 1;
    } else if (this.#waiting.length < this.options.queueMax) {
      // The finishing call hands its slot over, so `#running` already counts this one when it wakes.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      throw new ServiceUnavailable('password_hasher', this.options.retryAfterSeconds ?? 1);
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
