import {
  LeasedQueueWorker,
  permanent,
  type AttemptOutcome,
  type FailureCause,
  type QueueObserver,
  type QueueWorkerPolicy,
} from '../core/durable-queue/index.js';
import type { Clock } from '../ports/clock.js';
import { isMailRequestKind, type ClaimedMail, type MailOutbox } from '../ports/mail-outbox.js';
import type { MailRenderer } from './mail-renderer.js';
import type { MailWakeUp } from './mail-wake-up.js';
import type { Mailer, OutgoingMail } from '../ports/mailer.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { AuditTrail } from '../core/audit-trail.js';

export interface DeliveryPolicy extends QueueWorkerPolicy {
  /** The right-hand side of every `Message-ID` (MAIL_FROM's domain): the same on every instance. */
  readonly messageIdDomain: string;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  // Renewed while an attempt is in flight (see QueueWorkerPolicy): a crashed instance's mails wait at most this.
  leaseMs: 60_000,
  maxBatch: 100,
  concurrency: 5,
  pollIntervalMs: 2_000,
  retry: {
    // 1 s, 2 s, 4 s … 5 min: a greylisting relay (451) asks for minutes, an outage may last longer.
    backoff: { baseMs: 1_000, maxMs: 300_000 },
    uncertainRetryDelayMs: 600_000,
    maxUncertainRetries: 1,
  },
  messageIdDomain: 'localhost',
};

/** What the worker reports, for logs and metrics. */
export type MailDeliveryObserver = QueueObserver<ClaimedMail>;

export interface MailDeliveryDependencies {
  readonly outbox: MailOutbox;
  readonly mailer: Mailer;
  readonly renderer: MailRenderer;
  readonly box: SecretBox;
  readonly clock: Clock;
  readonly wakeUp: MailWakeUp;
  readonly observer: MailDeliveryObserver;
  /** Records `mail.failed` for the account when a mail is given up. */
  readonly audit?: AuditTrail | undefined;
}

/** `<outbox-id@domain>`: derived from the outbox row, so every attempt of one mail carries the same id. */
export function messageIdFor(mailId: string, domain: string): string {
  return `<${mailId}@${domain}>`;
}

/**
 * Sends what the outbox holds, through the durable queue's worker (leases, pace, retries: see
 * `LeasedQueueWorker`). This class knows only what one mail attempt is: open its token, render it, send it.
 */
export class MailDeliveryWorker {
  readonly #queue: LeasedQueueWorker<ClaimedMail>;

  constructor(
    private readonly deps: MailDeliveryDependencies,
    private readonly policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  ) {
    this.#queue = new LeasedQueueWorker(
      deps.outbox,
      { attempt: (mail) => this.#attempt(mail), failed: (mail, _reason, cause) => this.#recordFailure(mail, cause) },
      deps.clock,
      deps.wakeUp,
      deps.observer,
      policy,
    );
  }

  /** One pass over what is due now; returns how many mails it claimed. */
  deliverDue(): Promise<number> {
    return this.#queue.deliverDue();
  }

  /** Runs passes until `stop`: at once, at every wake-up, and every `pollIntervalMs` otherwise. */
  start(): void {
    this.#queue.start();
  }

  /** Lets the mails being sent finish and be recorded, hands back at once what was claimed and not started. */
  stop(): Promise<void> {
    return this.#queue.stop();
  }

  /** One attempt: the mail is prepared (token opened, rendered) and handed to the mailer. */
  async #attempt(mail: ClaimedMail): Promise<AttemptOutcome> {
    const prepared = await this.#prepare(mail);
    if ('outcome' in prepared) return prepared.outcome;
    return this.deps.mailer.send(prepared.message);
  }

  /** Everything before the wire: what fails here fails the same way on every attempt, or throws (retried). */
  async #prepare(mail: ClaimedMail): Promise<{ message: OutgoingMail } | { outcome: AttemptOutcome }> {
    const kind = mail.kind;
    // The outbox hands requests only to the request worker: one here is a bug, and retrying cannot fix it.
    if (isMailRequestKind(kind)) return { outcome: permanent('a request is resolved, never sent') };
    let token: string | undefined;
    try {
      token = mail.sealedToken === undefined ? undefined : this.deps.box.open(mail.sealedToken);
    } catch {
      // Sealed under a key this instance no longer has: no retry will open it.
      return { outcome: permanent('token cannot be decrypted with the configured DATA_ENCRYPTION_KEY') };
    }
    const rendered = await this.deps.renderer.render({ kind, to: mail.to, params: mail.params, token });
    return { message: { ...rendered, messageId: messageIdFor(mail.id, this.policy.messageIdDomain) } };
  }

  /** The reason may quote the relay's reply, which names the address: the event keeps only the class of failure. */
  async #recordFailure(mail: ClaimedMail, cause: FailureCause): Promise<void> {
    if (!this.deps.audit || mail.userId === undefined) return;
    await this.deps.audit.record('mail.failed', { userId: mail.userId, actorId: null, details: { kind: mail.kind, mail_id: mail.id, cause } });
  }
}
