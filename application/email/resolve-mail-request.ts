import { Email } from '../../domain/index.js';
import { delivered, LeasedQueueWorker, permanent, type AttemptOutcome, type LeasedQueue, type QueueObserver, type QueueWorkerPolicy, type WakeUp } from '../core/durable-queue/index.js';
import type { MailQueue } from '../core/mail-queue.js';
import type { Clock } from '../ports/clock.js';
import type { ClaimedMail, MailOutbox } from '../ports/mail-outbox.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';

/** What the request worker reports, for logs and metrics. */
export type MailRequestObserver = QueueObserver<ClaimedMail>;

export const DEFAULT_REQUEST_POLICY: QueueWorkerPolicy = {
  // A resolution is one short transaction: a crashed instance's requests come back within this.
  leaseMs: 30_000,
  maxBatch: 100,
  concurrency: 2,
  pollIntervalMs: 2_000,
  retry: { backoff: { baseMs: 1_000, maxMs: 60_000 }, uncertainRetryDelayMs: 60_000, maxUncertainRetries: 0 },
};

/**
 * Resolves one stored request for a link (see `MAIL_REQUEST_KINDS`), as the request worker's attempt. One unit of
 * work settles the request under its lease and does what the route used to do at once: an unknown or inactive
 * address gets nothing (the request is settled all the same), a known one gets its one-time token and mail, bound
 * to the address. The settle comes first and is guarded by the lease, so a request resolved and committed is never
 * resolved again (a retry, or a worker whose lease was taken over, finds it settled and does nothing), and one whose
 * transaction failed is resolved again in full.
 *
 * What decides is what holds at resolution time, not at request time: an address registered between the two gets
 * its mail; an account verified in between gets no verification link.
 */
export class ResolveMailRequest {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailQueue,
    private readonly clock: Clock,
  ) {}

  async attempt(request: ClaimedMail): Promise<AttemptOutcome> {
    let email: Email;
    try {
      email = Email.parse(request.to);
    } catch {
      return permanent('the request holds no valid address');
    }
    await this.unitOfWork.run(async (stores) => {
      if (!(await stores.outbox.markDone(request.id, request.leaseId, this.clock.now()))) return;
      const user = await stores.users.findByEmail(email);
      switch (request.kind) {
        case 'password_reset_request':
          if (!user || !user.isActive) return;
          await stores.oneTimeTokens.voidAll(user.id, ['reset_password'], this.clock.now());
          await this.mail.queueLink(stores, { kind: 'reset_password', purpose: 'reset_password', user, to: user.email });
          return;
        case 'verification_request':
          if (!user || !user.isActive || user.isVerified) return;
          await this.mail.queueLink(stores, { kind: 'verify_email', purpose: 'verify_email', user, to: user.email });
          return;
        default:
          throw new Error(`not a request: ${request.kind}`);
      }
    });
    return delivered;
  }
}

/**
 * Resolves the stored requests (`ResolveMailRequest`) through the durable queue's worker, over the outbox's request
 * lane: leases, retries with backoff, a crashed instance's requests taken up again once their lease expires. It
 * sends nothing, so it runs on every instance, MAIL_ENABLED or not.
 */
export class MailRequestWorker {
  readonly #queue: LeasedQueueWorker<ClaimedMail>;

  constructor(
    outbox: MailOutbox,
    resolver: ResolveMailRequest,
    clock: Clock,
    wakeUp: WakeUp,
    observer: MailRequestObserver,
    policy: QueueWorkerPolicy = DEFAULT_REQUEST_POLICY,
  ) {
    const requests: LeasedQueue<ClaimedMail> = {
      claimDue: (now, leaseMs, limit) => outbox.claimDue(now, leaseMs, limit, 'requests'),
      renewLease: (leaseId, until) => outbox.renewLease(leaseId, until),
      release: (leaseId, ids, now) => outbox.release(leaseId, ids, now),
      markDone: (id, leaseId, now) => outbox.markDone(id, leaseId, now),
      markRetry: (id, leaseId, at, error, uncertain) => outbox.markRetry(id, leaseId, at, error, uncertain),
      markFailed: (id, leaseId, now, error) => outbox.markFailed(id, leaseId, now, error),
    };
    this.#queue = new LeasedQueueWorker(requests, { attempt: (request) => resolver.attempt(request) }, clock, wakeUp, observer, policy);
  }

  /** One pass over the requests due now; returns how many it claimed. */
  resolveDue(): Promise<number> {
    return this.#queue.deliverDue();
  }

  start(): void {
    this.#queue.start();
  }

  stop(): Promise<void> {
    return this.#queue.stop();
  }
}
