import type { Email, User, UserId, Username } from '../../domain/index.js';

export interface UserListQuery {
  /** Lower-case text that the email or the lower-cased username starts with. */
  readonly prefix?: string | undefined;
  readonly limit: number;
  /** Keyset pagination: only users whose id sorts after this one. Ids grow with time, so new users come last. */
  readonly after?: UserId | undefined;
}

/**
 * Decides a privileged change given the stored user and how many other active superusers there are; throws to
 * refuse. See `assertKeepsASuperuser`.
 */
export type GuardedUserChange<T> = (user: User, othersWhoAdminister: number) => T;

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
   * Replaces the stored user's own fields (email, username, password, token version) with those of `user`.
   * Never writes `isActive` or `isSuperuser`: a user's own update racing an administrator's must not undo a
   * deactivation or a demotion, so those change only through `updateWith`. Returns false when no such user
   * exists any more. Throws `EmailTaken` or `UsernameTaken` when the new values clash with another user.
   */
  update(user: User): Promise<boolean>;
  /** Returns false when no such user existed. */
  remove(id: UserId): Promise<boolean>;
  /** Users in id order, at most `limit` of them. */
  list(query: UserListQuery): Promise<User[]>;
  /**
   * One atomic read-decide-write for changes that may remove a superuser: the store reads the user and counts
   * the other active superusers while holding a lock every such change takes, calls `decide`, and saves every
   * field of what it returns. Undefined when no such user exists. Throws what `decide` throws, or `EmailTaken` /
   * `UsernameTaken`.
   */
  updateWith(id: UserId, decide: GuardedUserChange<User>): Promise<User | undefined>;
  /** The same for deleting: `decide` throws to refuse. Returns the user deleted, or undefined when there was none. */
  removeWith(id: UserId, decide: GuardedUserChange<void>): Promise<User | undefined>;
}
