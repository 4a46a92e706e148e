import type { Page } from '../../application/core/pages.js';
import type { AuditEvent, Session, User } from '../../domain/index.js';
import type { AuditEventResponse, SessionResponse, UserResponse } from './schemas.js';

/** The only shape in which a user leaves the service: no hash, no token version. */
export function presentUser(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email.value,
    username: user.username.value,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    mfa_enabled: user.mfaEnabled,
    is_verified: user.isVerified,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

export function presentSession(session: Session, currentSessionId: string): SessionResponse {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    user_agent: session.userAgent ?? null,
    ip: session.ip ?? null,
    current: session.id === currentSessionId,
  };
}

export function presentAuditEvent(event: AuditEvent): AuditEventResponse {
  return {
    id: event.id,
    type: event.type,
    at: event.at.toISOString(),
    user_id: event.userId,
    actor_id: event.actorId,
    ip: event.ip,
    user_agent: event.userAgent,
    details: Object.fromEntries(Object.entries(event.details).map(([key, value]) => [key, typeof value === 'object' && value !== null ? [...value] : value])),
  };
}

/** `next_cursor` is left out on the last page rather than sent as null. */
export function presentPage<T, R>(page: Page<T>, present: (item: T) => R): { items: R[]; next_cursor?: string } {
  const items = page.items.map(present);
  return page.nextCursor === undefined ? { items } : { items, next_cursor: page.nextCursor };
}
