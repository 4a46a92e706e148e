import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HttpMetrics, LogInOutcome } from '../http/http-metrics.js';

/** Where the gauges read their values, at scrape time only: nothing on the request path updates them. */
export interface MetricsSources {
  /** Password hash or verify calls running and waiting for a slot. */
  readonly passwordHasher?: () => { readonly running: number; readonly queued: number };
  /** Database connections checked out and requests waiting for one. Absent without a pool. */
  readonly databasePool?: () => { readonly inUse: number; readonly waiting: number };
  /** Mails neither sent nor failed (a database count, read at scrape time). */
  readonly mailOutboxPending?: () => Promise<number>;
}

export type MailOutcome = 'sent' | 'failed';

/** What one SMTP attempt came to (see `AttemptOutcome`). */
export type MailAttemptOutcome = 'delivered' | 'permanent' | 'transient' | 'unknown';

// From 2.5 ms (a cached-key token check) to 10 s (a log-in stuck behind a long hash queue).
const DURATION_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every metric of one service instance, in a registry of its own rather than prom-client's global one, so that
 * several instances in one process (the test suites start many) never register a name twice.
 */
export class PrometheusMetrics implements HttpMetrics {
  readonly registry = new Registry();
  readonly #requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly #logIns: Counter<'outcome'>;
  readonly #rateLimitAllowed;
  readonly #rateLimitRefused;
  readonly #mailSent: Counter<'outcome'>;
  readonly #mailDelivery: Histogram;
  readonly #mailAttempts: Counter<'outcome'>;

  constructor(sources: MetricsSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#requestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to sending its response, by method, matched route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#logIns = new Counter({
      name: 'auth_logins_total',
      help: 'Log-in attempts that reached the use case, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    });
    const rateLimit = new Counter({
      name: 'rate_limit_decisions_total',
      help: 'Per-client rate-limit decisions on /api/v1 requests',
      labelNames: ['decision'] as const,
      registers,
    });
    // Bound once: an increment on the request path is then a property update, no label hashing.
    this.#rateLimitAllowed = rateLimit.labels({ decision: 'allowed' });
    this.#rateLimitRefused = rateLimit.labels({ decision: 'refused' });
    this.#mailSent = new Counter({
      name: 'mail_sent_total',
      help: 'Mails settled, by outcome: sent, failed (given up: refused for good, expired, or outcome unknown too often)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.#mailAttempts = new Counter({
      name: 'mail_delivery_attempts_total',
      help: 'SMTP delivery attempts, by outcome: delivered, permanent (5xx), transient (4xx or no connection), unknown (no reply after DATA)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.#mailDelivery = new Histogram({
      name: 'mail_delivery_seconds',
      help: 'Time from queueing a mail to the SMTP server accepting it',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
      registers,
    });
    const { passwordHasher, databasePool, mailOutboxPending } = sources;
    if (passwordHasher) {
      new Gauge({
        name: 'password_hash_queue_depth',
        help: 'Password hash or verify calls waiting for a free slot',
        registers,
        collect() {
          this.set(passwordHasher().queued);
        },
      });
      new Gauge({
        name: 'password_hash_in_progress',
        help: 'Password hash or verify calls running',
        registers,
        collect() {
          this.set(passwordHasher().running);
        },
      });
    }
    if (databasePool) {
      new Gauge({
        name: 'db_pool_connections_in_use',
        help: 'Database connections checked out of the pool',
        registers,
        collect() {
          this.set(databasePool().inUse);
        },
      });
      new Gauge({
        name: 'db_pool_waiting_requests',
        help: 'Queries waiting for a database connection',
        registers,
        collect() {
          this.set(databasePool().waiting);
        },
      });
    }
    // After the pool gauges, so the count's own query is not among the connections they report.
    if (mailOutboxPending) {
      new Gauge({
        name: 'mail_outbox_pending',
        help: 'Mails waiting in the outbox, neither sent nor given up',
        registers,
        async collect() {
          // A scrape while the database is down shows the last count rather than failing every other metric.
          await mailOutboxPending().then(
            (pending) => this.set(pending),
            () => undefined,
          );
        },
      });
    }
  }

  observeRequest(method: string, route: string, status: number, durationSeconds: number): void {
    this.#requestDuration.observe({ method, route, status }, durationSeconds);
  }

  countLogIn(outcome: LogInOutcome): void {
    this.#logIns.inc({ outcome });
  }

  countRateLimitDecision(decision: 'allowed' | 'refused'): void {
    (decision === 'allowed' ? this.#rateLimitAllowed : this.#rateLimitRefused).inc();
  }

  countMail(outcome: MailOutcome, secondsSinceQueued?: number): void {
    this.#mailSent.inc({ outcome });
    if (secondsSinceQueued !== undefined) this.#mailDelivery.observe(secondsSinceQueued);
  }

  countMailAttempt(outcome: MailAttemptOutcome): void {
    this.#mailAttempts.inc({ outcome });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
