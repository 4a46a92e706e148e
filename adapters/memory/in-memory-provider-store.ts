import type { ProviderEntry, ProviderEntryInput, ProviderStore, StoredProviderEntry } from '../../application/provider/provider-store.js';

interface Row extends ProviderEntry {
  readonly model: string;
  readonly id: string;
  readonly grantId: string | undefined;
  readonly uid: string | undefined;
  readonly userCode: string | undefined;
  readonly clientId: string | undefined;
  readonly accountId: string | undefined;
}

/** The provider's entries in a map: one process only, which is all `DATABASE_URL=memory` promises. */
export class InMemoryProviderStore implements ProviderStore {
  readonly #rows = new Map<string, Row>();

  async upsert(model: string, id: string, entry: ProviderEntryInput): Promise<void> {
    this.#rows.set(key(model, id), toRow(model, id, entry));
  }

  async insertIfAbsent(model: string, id: string, entry: ProviderEntryInput): Promise<ProviderEntry> {
    const existing = this.#rows.get(key(model, id));
    if (existing) return view(existing);
    const row = toRow(model, id, entry);
    this.#rows.set(key(model, id), row);
    return view(row);
  }

  async find(model: string, id: string, now: Date): Promise<ProviderEntry | undefined> {
    const row = this.#rows.get(key(model, id));
    return row && live(row, now) ? view(row) : undefined;
  }

  async findByUid(model: string, uid: string, now: Date): Promise<ProviderEntry | undefined> {
    return this.#first((row) => row.model === model && row.uid === uid, now);
  }

  async findByUserCode(model: string, userCode: string, now: Date): Promise<ProviderEntry | undefined> {
    return this.#first((row) => row.model === model && row.userCode === userCode, now);
  }

  async consume(model: string, id: string, at: Date): Promise<void> {
    const row = this.#rows.get(key(model, id));
    if (row) this.#rows.set(key(model, id), { ...row, consumedAt: at });
  }

  async destroy(model: string, id: string): Promise<void> {
    this.#rows.delete(key(model, id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [k, row] of this.#rows) if (row.grantId === grantId) this.#rows.delete(k);
  }

  async listByModel(model: string, now: Date): Promise<readonly StoredProviderEntry[]> {
    return this.#list((row) => row.model === model, now);
  }

  async listByAccount(model: string, accountId: string, now: Date): Promise<readonly StoredProviderEntry[]> {
    return this.#list((row) => row.model === model && row.accountId === accountId, now);
  }

  async destroyByClient(clientId: string): Promise<number> {
    return this.#deleteWhere((row) => row.clientId === clientId);
  }

  async destroyByAccount(accountId: string): Promise<number> {
    return this.#deleteWhere((row) => row.accountId === accountId);
  }

  #deleteWhere(matches: (row: Row) => boolean): number {
    let count = 0;
    for (const [k, row] of this.#rows) {
      if (matches(row)) {
        this.#rows.delete(k);
        count += 1;
      }
    }
    return count;
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    let count = 0;
    for (const [k, row] of this.#rows) {
      if (count >= limit) break;
      if (row.expiresAt !== undefined && row.expiresAt < before) {
        this.#rows.delete(k);
        count += 1;
      }
    }
    return count;
  }

  #first(matches: (row: Row) => boolean, now: Date): ProviderEntry | undefined {
    for (const row of this.#rows.values()) if (matches(row) && live(row, now)) return view(row);
    return undefined;
  }

  #list(matches: (row: Row) => boolean, now: Date): StoredProviderEntry[] {
    return [...this.#rows.values()]
      .filter((row) => matches(row) && live(row, now))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((row) => ({ id: row.id, ...view(row) }));
  }
}

function key(model: string, id: string): string {
  return `${model}\u0000${id}`;
}

function live(row: Row, now: Date): boolean {
  return row.expiresAt === undefined || row.expiresAt > now;
}

function toRow(model: string, id: string, entry: ProviderEntryInput): Row {
  return {
    model,
    id,
    // A copy: a caller changing its object afterwards must not change what is stored, as with a database.
    payload: structuredClone(entry.payload),
    expiresAt: entry.expiresAt,
    consumedAt: undefined,
    grantId: entry.grantId,
    uid: entry.uid,
    userCode: entry.userCode,
    clientId: entry.clientId,
    accountId: entry.accountId,
  };
}

function view(row: Row): ProviderEntry {
  return { payload: structuredClone(row.payload), expiresAt: row.expiresAt, consumedAt: row.consumedAt };
}
