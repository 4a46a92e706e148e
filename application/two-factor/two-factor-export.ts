import type { User } from '../../domain/index.js';
import type { ExportSection } from '../ports/export-section.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

/** Whether two-factor log-in is on, since when, and how many recovery codes are left: never the secret or a code. */
export class TwoFactorExport implements ExportSection {
  readonly name = 'two_factor';

  constructor(private readonly factors: TotpFactorRepository) {}

  async collect(user: User): Promise<unknown> {
    const factor = await this.factors.find(user.id);
    return {
      enabled: user.mfaEnabled,
      totp:
        factor === undefined
          ? null
          : {
              created_at: factor.createdAt.toISOString(),
              confirmed_at: factor.confirmedAt?.toISOString() ?? null,
              recovery_codes_left: factor.isConfirmed ? await this.factors.remainingRecoveryCodes(user.id) : 0,
            },
    };
  }
}
