/** One-way password hashing. Both calls are slow on purpose; implementations must not block the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a mismatch or for a hash this hasher cannot read; never throws for either. */
  verify(password: string, hash: string): Promise<boolean>;
}
