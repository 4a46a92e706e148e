import { InvalidCursor } from '../../domain/index.js';

/** One page of a keyset-paginated list; `nextCursor` is absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | undefined;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 20;

/**
 * Cursors are opaque to clients (base64url of the last id and the list it belongs to), so the keyset behind them
 * can change without breaking anyone; a cursor from another list is refused rather than misread.
 */
export function encodeCursor(list: string, lastId: string): string {
  return Buffer.from(`${list}:${lastId}`, 'utf8').toString('base64url');
}

/** Throws `InvalidCursor` for anything `encodeCursor` did not produce for `list`. */
export function decodeCursor(list: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(`${list}:`)) throw new InvalidCursor();
  const id = text.slice(list.length + 1);
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new InvalidCursor();
  return id;
}

export function clampLimit(limit: number): number {
  return Math.min(PAGE_LIMIT_MAX, Math.max(1, Math.trunc(limit)));
}

/**
 * Runs a keyset query for one more row than the page holds: whether it comes back says whether there is a next
 * page, without a count.
 */
export async function keysetPage<T extends { readonly id: string }>(
  list: string,
  request: PageRequest,
  fetch: (after: string | undefined, limit: number) => Promise<readonly T[]>,
): Promise<Page<T>> {
  const limit = clampLimit(request.limit);
  const rows = await fetch(decodeCursor(list, request.cursor), limit + 1);
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, nextCursor: encodeCursor(list, items.at(-1)!.id) } : { items };
}
