import { InvalidToken, type User } from '../../domain/index.js';
import type { UserRepository } from '../ports/user-repository.js';

/** Deleting the row is what revokes the user's tokens: they name a user that no longer exists. */
export class DeleteCurrentUser {
  constructor(private readonly users: UserRepository) {}

  /** Throws `InvalidToken` when the user was already gone (a concurrent delete). */
  async execute(current: User): Promise<void> {
    if (!(await this.users.remove(current.id))) throw new InvalidToken();
  }
}
