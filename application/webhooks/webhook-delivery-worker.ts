import {
  delivered,
  LeasedQueueWorker,
  permanent,
  transient,
  type AttemptOutcome,
  type QueueObserver,
  type QueueWorkerPolicy,
  type WakeUp,
} from '../core/durable-queue/index.js';
import type { Clock } from '../ports/clock.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { ClaimedWebhookDelivery, WebhookDeliveryQueue } from './webhook-delivery-queue.js';
import { afterAttempt, type WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookEndpointRepository } from './webhook-endpoint-repository.js';
import { ForbiddenWebhookTarget } from './webhook-errors.js';
import type { WebhookSender } from './webhook-sender.js';
import type { WebhookSigner } from './webhook-signer.js';
import type { CheckedTarget, WebhookTargetGuard } from './webhook-target-guard.js';

/** WEBHOOK_RETRY_DELAYS' default, in seconds: seven retries over about a day and a half. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_SECONDS: readonly number[] = Object.freeze([5, 300, 1800, 7200, 18000, 36000, 36000]);

export interface WebhookDeliveryPolicy extends QueueWorkerPolicy {
  /** How long one attempt may take, connection to last byte of the answer. */
  readonly timeoutMs: number;
  /** Waits between attempts; after the last one the delivery is failed. */
  readonly retryDelaysMs: readonly number[];
}

export function webhookDeliveryPolicy(retryDelaysMs: readonly number[], timeoutMs = 10_000): WebhookDeliveryPolicy {
  return {
    // Renewed while an attempt runs: an attempt is bounded by the timeout anyway.
    leaseMs: 60_000,
    maxBatch: 50,
    concurrency: 10,
    pollIntervalMs: 1_000,
    timeoutMs,
    retryDelaysMs,
    retry: {
      // The schedule decides; the doubling backoff is only the fallback of a policy without one.
      backoff: { baseMs: retryDelaysMs[0] ?? 5_000, maxMs: Math.max(...retryDelaysMs, 5_000), delaysMs: retryDelaysMs },
      // A webhook attempt has no "unknown" outcome: a timeout is retried (receivers deduplicate on webhook-id).
      uncertainRetryDelayMs: retryDelaysMs[0] ?? 5_000,
      maxUncertainRetries: retryDelaysMs.length,
    },
  };
}

export interface WebhookDeliveryDependencies {
  readonly queue: WebhookDeliveryQueue;
  readonly endpoints: WebhookEndpointRepository;
  readonly unitOfWork: UnitOfWork;
  readonly audit: AuditTrail;
  readonly guard: WebhookTargetGuard;
  readonly sender: WebhookSender;
  readonly signer: WebhookSigner;
  readonly box: SecretBox;
  readonly clock: Clock;
  readonly wakeUp: WakeUp;
  readonly observer: QueueObserver<ClaimedWebhookDelivery>;
}

/**
 * Delivers what the webhook queue holds, on the durable queue's worker (leases, pace, retries). This class knows
 * what one attempt is: check the target, sign afresh, POST, and keep the endpoint's record (five days failing
 * disables it, with a `webhook.disabled` event).
 */
export class WebhookDeliveryWorker {
  readonly #queue: LeasedQueueWorker<ClaimedWebhookDelivery>;

  constructor(
    private readonly deps: WebhookDeliveryDependencies,
    private readonly policy: WebhookDeliveryPolicy,
  ) {
    this.#queue = new LeasedQueueWorker(deps.queue, { attempt: (item) => this.#attempt(item) }, deps.clock, deps.wakeUp, deps.observer, policy);
  }

  deliverDue(): Promise<number> {
    return this.#queue.deliverDue();
  }

  start(): void {
    this.#queue.start();
  }

  stop(): Promise<void> {
    return this.#queue.stop();
  }

  wake(): void {
    this.deps.wakeUp.wake();
  }

  async #attempt(item: ClaimedWebhookDelivery): Promise<AttemptOutcome> {
    const endpoint = await this.deps.endpoints.find(item.endpointId);
    if (!endpoint) return permanent('the endpoint was deleted');
    if (!endpoint.enabled) return permanent('the endpoint is disabled');
    let target: CheckedTarget;
    try {
      target = await this.deps.guard.check(endpoint.url);
    } catch (error) {
      if (!(error instanceof ForbiddenWebhookTarget)) throw error;
      // Skipped, and recorded as such: the name may have moved to a forbidden address since it was registered.
      await this.deps.queue.recordResponse(item.id, item.leaseId, null);
      return permanent(`target refused: ${error.message}`);
    }
    let secrets: string[];
    try {
      secrets = endpoint.signingSecrets(this.deps.clock.now()).map((sealed) => this.deps.box.open(sealed));
    } catch {
      return permanent('the secret cannot be decrypted with the configured DATA_ENCRYPTION_KEY');
    }
    // Signed at each attempt with its own timestamp: verifiers refuse a timestamp older than a few minutes.
    const timestamp = this.deps.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'auth-service-webhooks',
      'webhook-id': item.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': this.deps.signer.sign(item.id, timestamp, item.payload, secrets),
    };
    const response = await this.deps.sender.post({ target, headers, body: item.payload, timeoutMs: this.policy.timeoutMs });
    await this.deps.queue.recordResponse(item.id, item.leaseId, response.status);
    const ok = response.status !== null && response.status >= 200 && response.status < 300;
    const disabled = await this.#keepRecord(endpoint, ok);
    if (ok) return delivered;
    const reason = response.status === null ? response.error : `answered ${response.status}`;
    if (disabled) return permanent(`${reason}; the endpoint was disabled after failing for five days`);
    if (item.attempts >= this.policy.retryDelaysMs.length) return permanent(`${reason}; given up after ${item.attempts + 1} attempts`);
    return transient(reason);
  }

  /** The five-day rule, decided by `afterAttempt` under the endpoint's lock; true when this attempt disabled it. */
  async #keepRecord(seen: WebhookEndpoint, ok: boolean): Promise<boolean> {
    // A success of an endpoint that was not failing changes nothing: no write on the common path.
    if (ok && seen.failingSince === undefined) return false;
    const now = this.deps.clock.now();
    return this.deps.unitOfWork.run(async (stores) => {
      const result = await stores.webhookEndpoints.updateWith(seen.id, (current) => afterAttempt(current, ok, now).endpoint);
      if (!result || !result.before.enabled || result.after.enabled) return false;
      await this.deps.audit.recordIn(stores.audit, 'webhook.disabled', {
        userId: null,
        actorId: null,
        details: { webhook_id: seen.id, reason: 'failing for five days', failing_since: result.after.failingSince?.toISOString() ?? null },
      });
      return true;
    });
  }
}
