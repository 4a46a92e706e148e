import type { UserId } from './user-id.js';

/** What the security history records. Names are stable: clients filter on them. */
export const AUDIT_EVENT_TYPES = [
  'user.registered',
  'user.deleted',
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'password.changed',
  'password.reset',
  'email.verified',
  'email.changed',
  'session.ended',
  'refresh.reuse_detected',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.recovery_code_used',
  'passkey.added',
  'passkey.removed',
  'passkey.counter_regressed',
  'admin.user_updated',
  'admin.user_deleted',
  'user.reauthenticated',
  'mfa.locked',
  'admin.mfa_reset',
  'mfa.removed',
  'mail.failed',
  'webhook.created',
  'webhook.changed',
  'webhook.deleted',
  'webhook.secret_rotated',
  'webhook.disabled',
  'user.exported',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

/** Plain values only. Never a password, a hash, a code or a token: the trail is shown to users and operators. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | readonly string[] | null>>;

/**
 * One entry of the security history. `userId` is the account the event is about, `actorId` the account that
 * acted (the same for a user's own actions, the superuser for an administrator's, null when nobody was logged
 * in, as for a failed log-in). Ids are time-ordered, so newest-first is an index order.
 */
export interface AuditEvent {
  readonly id: string;
  readonly type: AuditEventType;
  readonly at: Date;
  readonly userId: UserId | null;
  readonly actorId: UserId | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly details: AuditDetails;
}
