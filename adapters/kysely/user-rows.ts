import { Email, User, Username } from '../../domain/index.js';
import type { NewUserRow, UserRow } from './database.js';

export function toRow(user: User): NewUserRow {
  return { id: user.id, created_at: user.createdAt, ...toChanges(user) };
}

/** Everything but id and created_at, which never change once written, and mfa_enabled, which the factor's store owns. */
export function toChanges(user: User): Omit<NewUserRow, 'id' | 'created_at' | 'mfa_enabled'> {
  return { ...toOwnChanges(user), is_active: user.isActive, is_superuser: user.isSuperuser };
}

/** What a user may change about itself: not the flags only an administrator sets (see `UserRepository.update`). */
export function toOwnChanges(user: User): Omit<NewUserRow, 'id' | 'created_at' | 'mfa_enabled' | 'is_active' | 'is_superuser'> {
  return {
    email: user.email.value,
    username: user.username.value,
    hashed_password: user.passwordHash,
    // The owner's own: a changed email starts unverified, a followed link verifies it.
    is_verified: user.isVerified,
    token_version: user.tokenVersion,
    updated_at: user.updatedAt,
  };
}

/** Parsing again costs microseconds and refuses a row the domain would never have produced. */
export function toUser(row: UserRow): User {
  return new User({
    id: row.id,
    email: Email.parse(row.email),
    username: Username.parse(row.username),
    passwordHash: row.hashed_password,
    isActive: row.is_active,
    isSuperuser: row.is_superuser,
    isVerified: row.is_verified,
    tokenVersion: row.token_version,
    mfaEnabled: row.mfa_enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
