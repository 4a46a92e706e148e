import type { AuditDetails, AuditEvent } from '../../domain/index.js';

/**
 * The audit details a webhook body may carry, by name: ids, counts and flags. Anything not named here stays out,
 * whatever a use case adds to its event later (an allow-list, so a new detail cannot leak a secret by default).
 * Addresses, names and client details stay out too: a receiver that needs them asks the admin API by `user_id`.
 */
const ALLOWED_DETAILS: ReadonlySet<string> = new Set([
  'session_id',
  'sessions',
  'scope',
  'amr',
  'method',
  'reason',
  'fields',
  'is_active',
  'is_superuser',
  'is_verified',
  'superuser',
  'by',
  'remaining',
  'kind',
  'cause',
  'reverted',
  'webhook_id',
  'events',
  'enabled',
  'failing_since',
]);

export interface WebhookBody {
  readonly type: string;
  /** RFC 3339, when the event happened (not when this attempt was made: that is `webhook-timestamp`). */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `{type, timestamp, data}` for an audit event: its ids and allowed metadata. */
export function webhookBodyFor(event: AuditEvent): WebhookBody {
  return { type: event.type, timestamp: event.at.toISOString(), data: { event_id: event.id, user_id: event.userId, actor_id: event.actorId, ...allowedDetails(event.details) } };
}

function allowedDetails(details: AuditDetails): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => ALLOWED_DETAILS.has(key)));
}
