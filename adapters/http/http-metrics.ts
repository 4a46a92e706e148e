import { ServiceUnavailable } from '../../application/errors.js';
import { DomainError } from '../../domain/index.js';

/** How a log-in that reached the use case ended. Requests refused before it (validation, rate limit) are not log-ins. */
export type LogInOutcome = 'success' | 'invalid_credentials' | 'mfa_required' | 'invalid_mfa' | 'inactive' | 'rate_limited' | 'unavailable' | 'error';

/**
 * What the HTTP adapter reports as it serves requests. The Prometheus adapter implements it; the HTTP adapter
 * knows nothing of prom-client, and the use cases know nothing of metrics at all.
 */
export interface HttpMetrics {
  /** Once per request, with the matched route pattern (never the raw path, whose values are unbounded). */
  observeRequest(method: string, route: string, status: number, durationSeconds: number): void;
  countLogIn(outcome: LogInOutcome): void;
  countRateLimitDecision(decision: 'allowed' | 'refused'): void;
  /** The text served at `GET /metrics`. */
  exposition(): Promise<{ readonly contentType: string; readonly body: string }>;
}

const OUTCOME_BY_CODE: Readonly<Record<string, LogInOutcome>> = {
  invalid_credentials: 'invalid_credentials',
  // A right password with a code still owed; the code step then counts `success` or `invalid_mfa`.
  mfa_required: 'mfa_required',
  invalid_mfa_login: 'invalid_mfa',
  inactive_user: 'inactive',
  too_many_login_attempts: 'rate_limited',
};

export function logInOutcome(error: unknown): LogInOutcome {
  if (error instanceof DomainError) return OUTCOME_BY_CODE[error.code] ?? 'error';
  return error instanceof ServiceUnavailable ? 'unavailable' : 'error';
}
