/**
 * What the OpenID Provider keeps between requests (clients, grants, sessions, interactions, codes, tokens, its
 * own keys), as opaque JSON documents addressed by (model, id). Models are oidc-provider's names (`Client`,
 * `Grant`, `Session`, `AccessToken`...); the store does not read payloads: the caller names the few fields it
 * indexes (grant, uid, user code, account). Every instance reads the same store, so a flow begun on one instance
 * finishes on another.
 */
export interface ProviderStore {
  /** Writes the entry, replacing any under the same (model, id) and clearing a previous consumption. */
  upsert(model: string, id: string, entry: ProviderEntryInput): Promise<void>;
  /**
   * Writes the entry unless one exists, and answers the stored one: the caller's, or the one another instance
   * wrote first (both then use the same keys).
   */
  insertIfAbsent(model: string, id: string, entry: ProviderEntryInput): Promise<ProviderEntry>;
  /** The entry unless absent or expired at `now`. */
  find(model: string, id: string, now: Date): Promise<ProviderEntry | undefined>;
  findByUid(model: string, uid: string, now: Date): Promise<ProviderEntry | undefined>;
  findByUserCode(model: string, userCode: string, now: Date): Promise<ProviderEntry | undefined>;
  /** Marks the entry used (an authorization code, a rotated refresh token); it stays findable as consumed. */
  consume(model: string, id: string, at: Date): Promise<void>;
  destroy(model: string, id: string): Promise<void>;
  /** Deletes every entry, of any model, issued under the grant (codes, access and refresh tokens). */
  revokeByGrantId(grantId: string): Promise<void>;
  /** Every unexpired entry of the model (clients: a short list), oldest id first. */
  listByModel(model: string, now: Date): Promise<readonly StoredProviderEntry[]>;
  /** The unexpired entries of the model that belong to the account, oldest id first. */
  listByAccount(model: string, accountId: string, now: Date): Promise<readonly StoredProviderEntry[]>;
  /** Deletes every code, token and grant issued to the client (not the client itself); answers how many. */
  destroyByClient(clientId: string): Promise<number>;
  /** Deletes everything that belongs to the account (grants, sessions, tokens); answers how many entries. */
  destroyByAccount(accountId: string): Promise<number>;
  /** Deletes at most `limit` entries that expired before `before`; answers how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}

export type ProviderPayload = Readonly<Record<string, unknown>>;

export interface ProviderEntryInput {
  readonly payload: ProviderPayload;
  /** Absent: kept until destroyed (clients, keys). */
  readonly expiresAt?: Date | undefined;
  readonly grantId?: string | undefined;
  readonly uid?: string | undefined;
  readonly userCode?: string | undefined;
  /** The client it was issued to: the entry ends with the client (`destroyByClient`). */
  readonly clientId?: string | undefined;
  /** A user id: the entry ends with the account (`destroyByAccount`). */
  readonly accountId?: string | undefined;
}

export interface ProviderEntry {
  readonly payload: ProviderPayload;
  readonly expiresAt: Date | undefined;
  readonly consumedAt: Date | undefined;
}

export interface StoredProviderEntry extends ProviderEntry {
  readonly id: string;
}
