import { EmailTaken, isUserId, User, UsernameTaken, type Email, type UserId, type Username } from '../../domain/index.js';
import type { GuardedUserChange, UserListQuery, UserRepository } from '../../application/ports/user-repository.js';
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
    // The flags an administrator sets, and the one the factor's store owns, never move with a plain update.
    const keepsFlags = user.isActive === previous.isActive && user.isSuperuser === previous.isSuperuser && user.mfaEnabled === previous.mfaEnabled;
    const flags = { isActive: previous.isActive, isSuperuser: previous.isSuperuser, mfaEnabled: previous.mfaEnabled };
    this.#replace(previous, keepsFlags ? user : new User({ ...user, ...flags }));
    return true;
  }

  async list(query: UserListQuery): Promise<User[]> {
    const { prefix, after, limit } = query;
    if (after !== undefined && !isUserId(after)) return [];
    return [...this.#byId.values()]
      .filter((user) => after === undefined || user.id > after)
      .filter((user) => prefix === undefined || user.email.value.startsWith(prefix) || user.username.normalized.startsWith(prefix))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  // No await between reading and writing: in one process that is the lock.
  async updateWith(id: UserId, decide: GuardedUserChange<User>): Promise<User | undefined> {
    const previous = this.#byId.get(id);
    if (!previous) return undefined;
    const next = decide(previous, this.#othersWhoAdminister(id));
    this.#replace(previous, next);
    return next;
  }

  async removeWith(id: UserId, decide: GuardedUserChange<void>): Promise<User | undefined> {
    const previous = this.#byId.get(id);
    if (!previous) return undefined;
    decide(previous, this.#othersWhoAdminister(id));
    this.#unindex(previous);
    return previous;
  }

  #othersWhoAdminister(id: UserId): number {
    let count = 0;
    for (const user of this.#byId.values()) if (user.id !== id && user.administers) count++;
    return count;
  }

  #replace(previous: User, next: User): void {
    if (next.id !== previous.id) throw new Error('a user keeps its id');
    this.#assertFree(next);
    this.#unindex(previous);
    this.#index(next);
  }

  /** For the in-memory stores that follow a user's deletion as the database's cascade does: not part of the port. */
  isRegistered(id: UserId): boolean {
    return this.#byId.has(id);
  }

  /** For the in-memory factor store, which owns the flag: not part of the port. */
  setMfaEnabled(id: UserId, mfaEnabled: boolean): void {
    const user = this.#byId.get(id);
    if (user) this.#byId.set(id, new User({ ...user, mfaEnabled }));
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
