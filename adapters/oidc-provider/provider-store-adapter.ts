import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../../application/ports/clock.js';
import type { ProviderStore } from '../../application/provider/provider-store.js';

/** Our user ids; another `accountId` (none exists today) is kept without the account link rather than refused. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * oidc-provider's adapter interface (`upsert/find/findByUid/findByUserCode/consume/destroy/revokeByGrantId`) on
 * our ProviderStore: one instance per model, as the library asks. The payload is stored as the library hands it
 * over; the few members it looks entries up by become indexed columns.
 */
export class ProviderStoreAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: ProviderStore,
    private readonly clock: Clock,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const now = this.clock.now();
    const accountId = typeof payload.accountId === 'string' && USER_ID.test(payload.accountId) ? payload.accountId : undefined;
    await this.store.upsert(this.model, id, {
      payload: payload as Record<string, unknown>,
      expiresAt: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : undefined,
      grantId: typeof payload.grantId === 'string' ? payload.grantId : undefined,
      uid: typeof payload.uid === 'string' ? payload.uid : undefined,
      userCode: typeof payload.userCode === 'string' ? payload.userCode : undefined,
      clientId: typeof payload.clientId === 'string' ? payload.clientId : undefined,
      accountId,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return asPayload(await this.store.find(this.model, id, this.clock.now()));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return asPayload(await this.store.findByUid(this.model, uid, this.clock.now()));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return asPayload(await this.store.findByUserCode(this.model, userCode, this.clock.now()));
  }

  async consume(id: string): Promise<void> {
    await this.store.consume(this.model, id, this.clock.now());
  }

  async destroy(id: string): Promise<void> {
    await this.store.destroy(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.store.revokeByGrantId(grantId);
  }
}

function asPayload(entry: { payload: Readonly<Record<string, unknown>>; consumedAt: Date | undefined } | undefined): AdapterPayload | undefined {
  if (!entry) return undefined;
  // The library reads `consumed` (seconds) to refuse a second use of a code and to detect refresh-token reuse.
  return entry.consumedAt === undefined ? (entry.payload as AdapterPayload) : { ...(entry.payload as AdapterPayload), consumed: Math.floor(entry.consumedAt.getTime() / 1000) };
}
