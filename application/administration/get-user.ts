import { assertAdministers, UserNotFound, type User, type UserId } from '../../domain/index.js';
import type { UserRepository } from '../ports/user-repository.js';

export class GetUser {
  constructor(private readonly users: UserRepository) {}

  /** Throws `NotASuperuser` or `UserNotFound`. */
  async execute(actor: User, id: UserId): Promise<User> {
    assertAdministers(actor);
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFound();
    return user;
  }
}
