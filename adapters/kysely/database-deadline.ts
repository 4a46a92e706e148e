import { AsyncLocalStorage } from 'node:async_hooks';

interface Budget {
  readonly ms: number;
  /** Set by the first query: the budget counts database time, not the bcrypt or parsing before it. */
  endsAt?: number;
}

const current = new AsyncLocalStorage<Budget>();

/**
 * Runs `work` (one request) with one database budget: waiting for a pooled connection and every statement,
 * however many, share `ms`, counted from the first query. Without it the bounds added up: a connection wait
 * and a statement timeout each per query, 12 s measured behind a lock where 5 s was promised.
 */
export function withDatabaseDeadline<T>(ms: number, work: () => T): T {
  return current.run({ ms }, work);
}

/** Milliseconds left in the current budget; undefined outside one (start-up, migrations, the hourly purge). */
export function remainingDatabaseMs(): number | undefined {
  const budget = current.getStore();
  if (budget === undefined) return undefined;
  const now = performance.now();
  budget.endsAt ??= now + budget.ms;
  return budget.endsAt - now;
}

/** The budget ran out while waiting for a connection or for a statement; the database is too slow to serve now. */
export class DatabaseDeadlineExceeded extends Error {
  constructor() {
    super("database work ran past its request's deadline");
    this.name = 'DatabaseDeadlineExceeded';
  }
}

/**
 * Settles as `work` does, or rejects with `DatabaseDeadlineExceeded` once `remainingMs` pass. `abandon` then gets
 * the work, which carries on (its connection is the caller's to discard).
 */
export async function beforeDeadline<T>(work: Promise<T>, remainingMs: number, abandon: (late: Promise<T>) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let overtaken = false;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      overtaken = true;
      reject(new DatabaseDeadlineExceeded());
    }, remainingMs);
  });
  try {
    return await Promise.race([work, expired]);
  } catch (error) {
    if (overtaken) abandon(work);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
