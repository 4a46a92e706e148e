import type { Session, User } from '../../domain/index.js';
import type { SessionResponse, UserResponse } from './schemas.js';

/** The only shape in which a user leaves the service: no hash, no token version. */
export function presentUser(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email.value,
    username: user.username.value,
    is_active: user.isActive,
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
