import type { UserId } from '../../domain/index.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** Records that a user authorised an application (consent given, or a first-party client's implicit grant). */
export class RecordGrantCreated {
  constructor(private readonly audit: AuditTrail) {}

  async execute(userId: UserId, grant: { readonly grantId: string; readonly clientId: string; readonly scopes: readonly string[]; readonly firstParty: boolean }, origin: { ip?: string; userAgent?: string } = {}): Promise<void> {
    await this.audit.record('grant.created', {
      userId,
      origin,
      details: { grant_id: grant.grantId, client_id: grant.clientId, scopes: grant.scopes, first_party: grant.firstParty },
    });
  }
}
