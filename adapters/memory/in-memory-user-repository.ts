import { EmailTaken, UsernameTaken, type Email, type User, type UserId, type Username } from '../../domain/index.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { restoreMap, type Snapshottable } from './snapshottable.js';

/** Keeps users in maps: for tests, embedding, and `DATABASE_URL=memory`. Uniqueness holds as in PostgreSQL. */
export class InMemoryUserRepository implements UserRepository, Snapshottable {
  readonly #byId = new Map<UserId, User>();
  readonly #idByEmail = new Map<string, UserId>();
  readonly #idByUsername = new Map<string, UserId>();

  async add(user: User): Promise<void> {
    if (this.#byId.has(user.id)) throw new Error(`duplicate user id ${user.id}`);
    this.#assertFree(user);
    this.#index(user);
  }

  async findById(id: UserId): Promise<User | undefined> {
    return this.#byId.get(id);
  }

  async findByEmail(email: Email): Promise<User | undefined> {
    const id = this.#idByEmail.get(email.value);
    return id === undefined ? undefined : this.#byId.get(id);
  }

  async findByUsername(username: Username): Promise<User | undefined> {
    const id = this.#idByUsername.get(username.normalized);
    return id === undefined ? undefined : this.#byId.get(id);
  }

  async update(user: User): Promise<boolean> {
    const previous = this.#byId.get(user.id);
    if (!previous) return false;
    this.#assertFree(user);
    this.#unindex(previous);
    this.#index(user);
    return true;
  }

  async remove(id: UserId): Promise<boolean> {
    const previous = this.#byId.get(id);
    if (!previous) return false;
    this.#unindex(previous);
    return true;
  }

  snapshot(): () => void {
    const restore = [restoreMap(this.#byId), restoreMap(this.#idByEmail), restoreMap(this.#idByUsername)];
    return () => restore.forEach((put) => put());
  }

  /** Checked before any write, so a clash leaves the maps as they were. */
  #assertFree(user: User): void {
    const emailOwner = this.#idByEmail.get(user.email.value);
    if (emailOwner !== undefined && emailOwner !== user.id) throw new EmailTaken();
    const usernameOwner = this.#idByUsername.get(user.username.normalized);
    if (usernameOwner !== undefined && usernameOwner !== user.id) throw new UsernameTaken();
  }

  #index(user: User): void {
    this.#byId.set(user.id, user);
    this.#idByEmail.set(user.email.value, user.id);
    this.#idByUsername.set(user.username.normalized, user.id);
  }

  #unindex(user: User): void {
    this.#byId.delete(user.id);
    this.#idByEmail.delete(user.email.value);
    this.#idByUsername.delete(user.username.normalized);
  }
}
