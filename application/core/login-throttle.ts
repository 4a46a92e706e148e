import { TooManyLoginAttempts } from '../../domain/index.js';
import type { RateLimiter } from '../ports/rate-limiter.js';

/**
 * Failed log-ins counted per account and per account-and-address, so a password cannot be guessed from many
 * addresses, while the tighter per-pair limit stops one attacker long before it locks the owner out for everyone.
 * Only failures count; a success clears both counters.
 */
export class LoginThrottle {
  constructor(
    private readonly perAccount: RateLimiter,
    private readonly perAccountAndAddress: RateLimiter,
  ) {}

  /** Throws `TooManyLoginAttempts` when either budget is spent. */
  async check(account: string, address: string): Promise<void> {
    const [byAccount, byPair] = await Promise.all([
      this.perAccount.peek(account),
      this.perAccountAndAddress.peek(pairKey(account, address)),
    ]);
    const blocked = [byAccount, byPair].filter((decision) => !decision.allowed);
    if (blocked.length > 0) {
      throw new TooManyLoginAttempts(Math.max(1, Math.ceil(Math.max(...blocked.map((d) => d.resetMs)) / 1000)));
    }
  }

  async recordFailure(account: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.consume(account), this.perAccountAndAddress.consume(pairKey(account, address))]);
  }

  async recordSuccess(account: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.reset(account), this.perAccountAndAddress.reset(pairKey(account, address))]);
  }
}

function pairKey(account: string, address: string): string {
  return `${account}|${address}`;
}
