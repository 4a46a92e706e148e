import type { Email } from '../../domain/index.js';
import type { RateLimiter } from '../ports/rate-limiter.js';

/**
 * Mail-triggering requests counted per address and per client. A request over either budget is answered as any
 * other and sends nothing, so the limit neither mail-bombs an inbox nor tells anyone which addresses have accounts.
 * Both budgets count every request, known address or not, for the same reason.
 */
export class MailThrottle {
  constructor(
    private readonly perAddress: RateLimiter,
    private readonly perClient: RateLimiter,
  ) {}

  async allow(address: Email, client: string | undefined): Promise<boolean> {
    const [byAddress, byClient] = await Promise.all([
      this.perAddress.consume(address.value),
      this.perClient.consume(client ?? 'unknown'),
    ]);
    return byAddress.allowed && byClient.allowed;
  }
}
