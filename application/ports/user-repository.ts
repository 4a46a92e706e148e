import type { Email, User, UserId, Username } from '../../domain/index.js';

/**
 * Where users live. Implementations enforce uniqueness of email and username (case-insensitively) atomically
 * and report a clash as `EmailTaken` or `UsernameTaken`, so two concurrent registrations cannot both win.
 */
export interface UserRepository {
  /** Throws `EmailTaken` or `UsernameTaken` when either is already in use. */
  add(user: User): Promise<void>;
  findById(id: UserId): Promise<User | undefined>;
  findByEmail(email: Email): Promise<User | undefined>;
  findByUsername(username: Username): Promise<User | undefined>;
  /**
   * Replaces the stored user with the same id. Returns false when no such user exists any more.
   * Throws `EmailTaken` or `UsernameTaken` when the new values clash with another user.
   */
  update(user: User): Promise<boolean>;
  /** Returns false when no such user existed. */
  remove(id: UserId): Promise<boolean>;
}
