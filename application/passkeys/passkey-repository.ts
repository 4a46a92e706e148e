import type { Passkey, PasskeyUseDecision, UserId } from '../../domain/index.js';

/**
 * The users' passkeys, found by credential id (a log-in names no account: the credential does). `recordUse` is one
 * atomic read-decide-write, so two assertions racing with the same counter cannot both pass the counter rule.
 */
export interface PasskeyRepository {
  /** False when a passkey with this credential id exists already (for any user). */
  add(passkey: Passkey): Promise<boolean>;
  /** Oldest first. */
  listByUser(userId: UserId): Promise<Passkey[]>;
  findByCredentialId(credentialId: string): Promise<Passkey | undefined>;
  /** The renamed passkey; undefined when the user has none with this id. */
  rename(userId: UserId, credentialId: string, name: string): Promise<Passkey | undefined>;
  /** False when the user has none with this id. */
  remove(userId: UserId, credentialId: string): Promise<boolean>;
  /** Removes every passkey of the user (an account secured after a revert, an administrator's factor reset); how many. */
  removeAllOf(userId: UserId): Promise<number>;
  /**
   * Reads the passkey, lets `decide` judge the assertion against it (`Passkey.use`), and saves an accepted
   * decision's passkey, all in one atomic step. Undefined when the credential is unknown (removed meanwhile).
   */
  recordUse(credentialId: string, decide: (current: Passkey) => PasskeyUseDecision): Promise<PasskeyUseDecision | undefined>;
}
