/**
 * Raised by an adapter when the store behind a port cannot answer (database down, Redis down and failing
 * closed, too much work queued). Not a domain error: the request was fine, the service is not. The HTTP
 * adapter answers 503 with `Retry-After`.
 */
export class ServiceUnavailable extends Error {
  readonly code = 'service_unavailable';

  constructor(
    /** Which dependency failed, for logs and readiness: 'database', 'rate_limiter', 'password_hasher'. */
    readonly dependency: string,
    /** Seconds a client should wait before trying again. */
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown; reported?: boolean },
  ) {
    super(`${dependency} is unavailable`, options);
    this.name = 'ServiceUnavailable';
    this.reported = options?.reported ?? false;
  }

  /**
   * The adapter logged the outage itself, once when it began: the edge need not log each refused request, which
   * during an outage would be a warning per request.
   */
  readonly reported: boolean;
}
