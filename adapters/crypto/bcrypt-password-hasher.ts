import { hash, verify } from '@node-rs/bcrypt';
import type { PasswordHasher } from '../../application/ports/password-hasher.js';

export const BCRYPT_MIN_COST = 10;
export const BCRYPT_MAX_COST = 15;

/**
 * bcrypt through a Rust binding whose calls run on libuv's thread pool, so hashing never blocks the event loop.
 * The domain refuses passwords over 72 bytes before they get here: bcrypt would silently ignore the rest.
 */
export class BcryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: number) {
    if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new RangeError(`bcrypt cost ${cost} is out of range`);
  }

  hash(password: string): Promise<string> {
    return hash(password, this.cost);
  }

  /** The binding answers false for a malformed hash rather than throwing, as the port requires. */
  verify(password: string, passwordHash: string): Promise<boolean> {
    return verify(password, passwordHash);
  }
}
