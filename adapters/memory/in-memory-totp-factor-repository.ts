import type { TotpFactorRepository } from '../../application/two-factor/totp-factor-repository.js';
import { TotpFactor, type UserId } from '../../domain/index.js';
import type { InMemoryUserRepository } from './in-memory-user-repository.js';

/**
 * Factors and recovery-code hashes in maps. Each method runs without awaiting between its reads and writes, which
 * keeps the compare-and-set atomic on the event loop; it sets the user's flag as the database's transaction does.
 */
export class InMemoryTotpFactorRepository implements TotpFactorRepository {
  readonly #factors = new Map<UserId, TotpFactor>();
  /** Per user: code hash to when it was used. */
  readonly #codes = new Map<UserId, Map<string, Date | undefined>>();

  constructor(private readonly users: InMemoryUserRepository) {}

  async savePending(factor: TotpFactor): Promise<boolean> {
    if (this.#factors.get(factor.userId)?.isConfirmed) return false;
    this.#factors.set(factor.userId, new TotpFactor({ ...factor, confirmedAt: undefined, lastStep: undefined, failedAttempts: 0 }));
    return true;
  }

  async find(userId: UserId): Promise<TotpFactor | undefined> {
    return this.#factors.get(userId);
  }

  async confirm(userId: UserId, sealedSecret: string, step: number, recoveryCodeHashes: readonly string[], now: Date): Promise<boolean> {
    const factor = this.#factors.get(userId);
    if (!factor || factor.isConfirmed || factor.sealedSecret !== sealedSecret) return false;
    this.#factors.set(userId, new TotpFactor({ ...factor, confirmedAt: now, lastStep: step }));
    this.#codes.set(userId, new Map(recoveryCodeHashes.map((hash) => [hash, undefined])));
    this.users.setMfaEnabled(userId, true);
    return true;
  }

  async acceptStep(userId: UserId, step: number): Promise<boolean> {
    const factor = this.#factors.get(userId);
    if (!factor?.isConfirmed || !factor.acceptsStep(step)) return false;
    this.#factors.set(userId, new TotpFactor({ ...factor, lastStep: step }));
    return true;
  }

  async useRecoveryCode(userId: UserId, codeHash: string, now: Date): Promise<boolean> {
    const codes = this.#codes.get(userId);
    if (!this.#factors.get(userId)?.isConfirmed || !codes?.has(codeHash) || codes.get(codeHash) !== undefined) return false;
    codes.set(codeHash, now);
    return true;
  }

  async remainingRecoveryCodes(userId: UserId): Promise<number> {
    return [...(this.#codes.get(userId)?.values() ?? [])].filter((usedAt) => usedAt === undefined).length;
  }

  async recordFailedAttempt(userId: UserId): Promise<number> {
    const factor = this.#factors.get(userId);
    if (!factor) return 0;
    const counted = new TotpFactor({ ...factor, failedAttempts: factor.failedAttempts + 1 });
    this.#factors.set(userId, counted);
    return counted.failedAttempts;
  }

  async clearFailedAttempts(userId: UserId): Promise<void> {
    const factor = this.#factors.get(userId);
    if (factor && factor.failedAttempts > 0) this.#factors.set(userId, new TotpFactor({ ...factor, failedAttempts: 0 }));
  }

  async remove(userId: UserId): Promise<boolean> {
    const existed = this.#factors.delete(userId);
    this.#codes.delete(userId);
    this.users.setMfaEnabled(userId, false);
    return existed;
  }
}
