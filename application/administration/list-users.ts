import { assertAdministers, type User } from '../../domain/index.js';
import type { UserRepository } from '../ports/user-repository.js';
import { keysetPage, type Page, type PageRequest } from '../core/pages.js';

export interface ListUsersInput extends PageRequest {
  /** An email or username prefix, in any case. */
  readonly q?: string | undefined;
}

/** Superusers page through the users, oldest first, optionally by an email or username prefix. */
export class ListUsers {
  constructor(private readonly users: UserRepository) {}

  /** Throws `NotASuperuser` or `InvalidCursor`. */
  async execute(actor: User, input: ListUsersInput): Promise<Page<User>> {
    assertAdministers(actor);
    const prefix = input.q?.trim().toLowerCase() || undefined;
    // The cursor names its query: a cursor from a search cannot continue another search.
    return keysetPage(`users:${prefix ?? ''}`, input, (after, limit) => this.users.list({ prefix, after, limit }));
  }
}
