import type { User } from '../../domain/index.js';
import type { ExportSection } from '../ports/export-section.js';
import type { PasskeyRepository } from './passkey-repository.js';

/** The user's passkeys as metadata: names, kinds and dates; the public keys stay out (they identify a device). */
export class PasskeysExport implements ExportSection {
  readonly name = 'passkeys';

  constructor(private readonly passkeys: PasskeyRepository) {}

  async collect(user: User): Promise<unknown> {
    return (await this.passkeys.listByUser(user.id)).map((passkey) => ({
      id: passkey.credentialId,
      name: passkey.name,
      device_type: passkey.deviceType,
      backed_up: passkey.backedUp,
      transports: [...passkey.transports],
      created_at: passkey.createdAt.toISOString(),
      last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
    }));
  }
}
