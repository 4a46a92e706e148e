import type { Clock } from '../ports/clock.js';
import type { ClaimedMail, MailOutbox } from '../ports/mail-outbox.js';
import type { MailRenderer } from './mail-renderer.js';
import type { MailWakeUp } from './mail-wake-up.js';
import type { Mailer } from '../ports/mailer.js';
import type { SecretBox } from '../ports/secret-box.js';

export interface DeliveryPolicy {
  /** How long a claim keeps other workers off a mail: longer than any one SMTP exchange. */
  readonly leaseMs: number;
  /** Mails claimed per pass. */
  readonly batchSize: number;
  /** The fallback when no wake-up comes: how stale a mail committed elsewhere can get before it is seen. */
  readonly pollIntervalMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  leaseMs: 120_000,
  batchSize: 20,
  pollIntervalMs: 2_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
};

/** What the worker reports, for logs and metrics. */
export interface MailDeliveryObserver {
  sent(mail: ClaimedMail, secondsSinceQueued: number): void;
  retried(mail: ClaimedMail, error: unknown, nextAttemptAt: Date): void;
  failed(mail: ClaimedMail, reason: string): void;
  /** A pass itself failed (the outbox could not be read): the loop carries on at its next wake-up. */
  passFailed(error: unknown): void;
}

/**
 * Sends what the outbox holds. Each pass claims due mails (the claim is committed with a lease before anything is
 * sent), sends each outside any transaction, and records the outcome. A failed send is retried with exponential
 * backoff capped at `backoffMaxMs`; a mail whose link has expired is marked failed and kept. Nothing lives only in
 * this object: a restart, or another instance once the lease expires, picks up whatever was left.
 */
export class MailDeliveryWorker {
  #running = false;
  #stopping = false;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly outbox: MailOutbox,
    private readonly mailer: Mailer,
    private readonly renderer: MailRenderer,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly wakeUp: MailWakeUp,
    private readonly observer: MailDeliveryObserver,
    private readonly policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  ) {}

  /** One pass over what is due now; returns how many mails it handled. */
  async deliverDue(): Promise<number> {
    const claimed = await this.outbox.claimDue(this.clock.now(), this.policy.leaseMs, this.policy.batchSize);
    // One at a time: a mail server is better served by a steady trickle than by a burst, and the lease covers one
    // exchange after another well within its length.
    const claimedAt = this.clock.now().getTime();
    for (const mail of claimed) {
      // Stopping: what is not started yet goes back at once rather than waiting out its lease elsewhere. And a
      // mail whose lease is half spent goes back too: sent later, it could overlap another worker's claim of it.
      const leaseRunningOut = this.clock.now().getTime() - claimedAt > this.policy.leaseMs / 2;
      if (this.#stopping || leaseRunningOut) {
        const reason = this.#stopping ? 'not attempted: instance shutting down' : 'not attempted: lease running out';
        await this.outbox.markRetry(mail.id, mail.leaseId, this.clock.now(), reason);
      } else {
        await this.#deliver(mail);
      }
    }
    return claimed.length;
  }

  /** Runs passes until `stop`: at once, at every wake-up, and every `pollIntervalMs` otherwise. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Lets the mail being sent finish and be recorded, hands the rest of the pass back to the outbox, then stops. */
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
        while (this.#running && (await this.deliverDue()) === this.policy.batchSize);
      } catch (error) {
        this.observer.passFailed(error);
      }
      if (this.#running) await this.wakeUp.wait(this.policy.pollIntervalMs);
    }
  }

  async #deliver(mail: ClaimedMail): Promise<void> {
    if (this.clock.now() >= mail.deadline) return this.#fail(mail, 'link expired before the mail could be delivered');
    let token: string | undefined;
    try {
      token = mail.sealedToken === undefined ? undefined : this.box.open(mail.sealedToken);
    } catch {
      // Sealed under a key this instance no longer has: no retry will open it.
      return this.#fail(mail, 'token cannot be decrypted with the configured DATA_ENCRYPTION_KEY');
    }
    try {
      const rendered = await this.renderer.render({ kind: mail.kind, to: mail.to, params: mail.params, token });
      await this.mailer.send(rendered);
    } catch (error) {
      return this.#retry(mail, error);
    }
    const now = this.clock.now();
    await this.outbox.markSent(mail.id, mail.leaseId, now);
    this.observer.sent(mail, Math.max(0, (now.getTime() - mail.createdAt.getTime()) / 1000));
  }

  async #retry(mail: ClaimedMail, error: unknown): Promise<void> {
    const now = this.clock.now();
    if (now >= mail.deadline) return this.#fail(mail, `link expired; last error: ${describe(error)}`);
    const delay = Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** mail.attempts);
    const nextAttemptAt = new Date(now.getTime() + delay);
    await this.outbox.markRetry(mail.id, mail.leaseId, nextAttemptAt, describe(error));
    this.observer.retried(mail, error, nextAttemptAt);
  }

  async #fail(mail: ClaimedMail, reason: string): Promise<void> {
    await this.outbox.markFailed(mail.id, mail.leaseId, this.clock.now(), reason);
    this.observer.failed(mail, reason);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
