import { GrantNotFound, type SessionOrigin, type User, type UserId } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { AuditTrail } from '../core/audit-trail.js';
import { CLIENT_MODEL, GRANT_MODEL } from './oauth-client.js';
import type { ProviderPayload, ProviderStore } from './provider-store.js';

/** An application the user authorised: what it may ask for, since when. */
export interface UserGrant {
  readonly id: string;
  readonly clientId: string;
  /** Absent when the client has been deleted since. */
  readonly clientName: string | undefined;
  readonly scopes: readonly string[];
  readonly grantedAt: Date;
}

function scopesOf(payload: ProviderPayload): string[] {
  const openid = payload.openid as { scope?: string } | undefined;
  return (openid?.scope ?? '').split(' ').filter(Boolean);
}

export class ListMyGrants {
  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
  ) {}

  async execute(user: User): Promise<readonly UserGrant[]> {
    const now = this.clock.now();
    const grants = await this.store.listByAccount(GRANT_MODEL, user.id, now);
    const names = new Map<string, string | undefined>();
    const result: UserGrant[] = [];
    for (const grant of grants) {
      const clientId = grant.payload.clientId as string;
      if (!names.has(clientId)) names.set(clientId, (await this.store.find(CLIENT_MODEL, clientId, now))?.payload.client_name as string | undefined);
      result.push({ id: grant.id, clientId, clientName: names.get(clientId), scopes: scopesOf(grant.payload), grantedAt: new Date(((grant.payload.iat as number | undefined) ?? 0) * 1000) });
    }
    return result;
  }
}

/** The user withdraws an application's access: the grant and every code and token issued under it go. */
export class RevokeMyGrant {
  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `GrantNotFound` (also for another user's grant: ids are not an oracle). */
  async execute(user: User, grantId: string, origin: SessionOrigin = {}): Promise<void> {
    const grant = await this.store.find(GRANT_MODEL, grantId, this.clock.now());
    if (!grant || grant.payload.accountId !== user.id) throw new GrantNotFound();
    await this.store.revokeByGrantId(grantId);
    await this.store.destroy(GRANT_MODEL, grantId);
    await this.audit.record('grant.revoked', { userId: user.id, origin, details: { grant_id: grantId, client_id: grant.payload.clientId as string } });
  }
}

/**
 * Ends everything the provider holds for an account: its provider sessions, grants, codes, access and refresh
 * tokens. For the "credentials changed" step (password change or reset, deactivation, factor reset): after it,
 * introspection of any token the account held answers `active: false`.
 */
export class ProviderGrants {
  constructor(private readonly store: ProviderStore) {}

  /** Answers how many entries ended. */
  async revokeAllFor(userId: UserId): Promise<number> {
    return this.store.destroyByAccount(userId);
  }
}

/** Deletes expired provider entries, one bounded batch at a time: a housekeeping job (see Housekeeping). */
export class PurgeExpiredProviderEntries implements HousekeepingJob {
  readonly name = 'provider-entries';

  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.store.purgeExpired(this.clock.now(), limit);
  }
}
