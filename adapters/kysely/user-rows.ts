import { Email, User, Username } from '../../domain/index.js';
import type { NewUserRow, UserRow } from './database.js';

export function toRow(user: User): NewUserRow {
  return { id: user.id, created_at: user.createdAt, ...toChanges(user) };
}

/** Everything but id and created_at, which never change once written. */
export function toChanges(user: User): Omit<NewUserRow, 'id' | 'created_at'> {
  return {
    email: user.email.value,
    username: user.username.value,
    hashed_password: user.passwordHash,
    is_active: user.isActive,
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
    isVerified: row.is_verified,
    tokenVersion: row.token_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
