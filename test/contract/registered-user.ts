import { randomBytes } from 'node:crypto';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { Email, newUserId, User, Username } from '../../domain/index.js';

/**
 * A user with names of its own, saved, for the contracts of stores that keep things per user: adapters may share
 * one database across a suite, and unique names keep the tests apart.
 */
export async function registeredUser(users: UserRepository, now: Date, prefix: string): Promise<User> {
  const tag = randomBytes(5).toString('hex');
  const user = User.register({ id: newUserId(now), email: Email.parse(`${prefix}-${tag}@example.com`), username: Username.parse(`${prefix}_${tag}`), passwordHash: 'h', now });
  await users.add(user);
  return user;
}
