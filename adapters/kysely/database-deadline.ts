import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One request's allowance of database time: waiting for a pooled connection and for every statement, however
 * many, added up. Without it the bounds added up per query instead: a connection wait and a statement timeout
 * each, 12 s measured behind a lock where 5 s was promised. Only time spent on the database counts, so that a
 * log-in's bcrypt hash between its read and its write does not eat into it.
 */
export class DatabaseBudget {
  #spentMs = 0;

  constructor(readonly ms: number) {}

  get exhausted(): boolean {
    return this.#spentMs >= this.ms;
  }

  /**
   * Settles as `work` does, or rejects with `DatabaseDeadlineExceeded` once the rest of the budget has passed;
   * `abandon` then gets the work, which carries on (what it holds is the caller's to dispose of).
   */
  async bound<T>(work: Promise<T>, abandon: (late: Promise<T>) => void): Promise<T> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let overtaken = false;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        overtaken = true;
        reject(new DatabaseDeadlineExceeded());
      }, this.ms - this.#spentMs);
    });
    try {
      return await Promise.race([work, expired]);
    } catch (error) {
      if (overtaken) abandon(work);
      throw error;
    } finally {
      clearTimeout(timer);
      this.#spentMs += performance.now() - started;
    }
  }
}

const current = new AsyncLocalStorage<DatabaseBudget>();

/** Runs `work` (one request) with a database budget of `ms`, which every query inside it draws on. */
export function withDatabaseDeadline<T>(ms: number, work: () => T): T {
  return current.run(new DatabaseBudget(ms), work);
}

/** The current request's budget; undefined outside one (start-up, migrations, the hourly purge). */
export function databaseBudget(): DatabaseBudget | undefined {
  return current.getStore();
}

/** The budget ran out while waiting for a connection or for a statement; the database is too slow to serve now. */
export class DatabaseDeadlineExceeded extends Error {
  constructor() {
    super("database work ran past its request's deadline");
    this.name = 'DatabaseDeadlineExceeded';
  }
}
