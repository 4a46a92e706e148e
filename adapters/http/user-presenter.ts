import type { User } from '../../domain/index.js';
import type { UserResponse } from './schemas.js';

/** The only shape in which a user leaves the service: no hash, no token version. */
export function presentUser(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email.value,
    username: user.username.value,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
