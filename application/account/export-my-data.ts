import type { SessionOrigin, User } from '../../domain/index.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { Clock } from '../ports/clock.js';
import type { ExportSection } from '../ports/export-section.js';
import type { FreshAuthenticationGate, SensitiveRequester } from '../ports/fresh-authentication-gate.js';

export type { ExportSection } from '../ports/export-section.js';

export interface DataExport {
  readonly exported_at: string;
  readonly user_id: string;
  readonly [section: string]: unknown;
}

/** Everything the service keeps about the requester, as one document. A sensitive action: fresh authentication. */
export class ExportMyData {
  constructor(
    private readonly sections: readonly ExportSection[],
    private readonly freshAuthentication: FreshAuthenticationGate,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {
    const names = sections.map((section) => section.name);
    if (new Set(names).size !== names.length) throw new Error(`two export sections share a name: ${names.join(', ')}`);
  }

  async execute(requester: SensitiveRequester, origin: SessionOrigin = {}): Promise<DataExport> {
    await this.freshAuthentication.require(requester, undefined, origin);
    const user = requester.user;
    const parts = await Promise.all(this.sections.map(async (section) => [section.name, await section.collect(user)] as const));
    const document: DataExport = { exported_at: this.clock.now().toISOString(), user_id: user.id, ...Object.fromEntries(parts) };
    await this.audit.record('user.exported', { userId: user.id, origin, details: { sections: parts.map(([name]) => name) } });
    return document;
  }
}

/** The account itself: what the user gave and what the service decided about it. No hash, no token version. */
export class ProfileExport implements ExportSection {
  readonly name = 'profile';

  async collect(user: User): Promise<unknown> {
    return {
      id: user.id,
      email: user.email.value,
      username: user.username.value,
      is_active: user.isActive,
      is_verified: user.isVerified,
      is_superuser: user.isSuperuser,
      mfa_enabled: user.mfaEnabled,
      created_at: user.createdAt.toISOString(),
      updated_at: user.updatedAt.toISOString(),
    };
  }
}
