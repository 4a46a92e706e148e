import type { Kysely } from 'kysely';
import type { TransactionalStores, UnitOfWork } from '../../application/ports/unit-of-work.js';
import type { Database } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { KyselyAuditLog } from './kysely-audit-log.js';
import { KyselyMailOutbox } from './kysely-mail-outbox.js';
import { KyselyOneTimeTokenStore } from './kysely-one-time-token-store.js';
import { KyselySessionRepository } from './kysely-session-repository.js';
import { KyselyUserRepository } from './kysely-user-repository.js';

export interface KyselyUnitOfWorkHooks {
  /** Called after a transaction that queued mail has committed: wakes this process's delivery worker. */
  readonly onMailCommitted?: () => void;
}

/** One database transaction per run, with every repository built over it. */
export class KyselyUnitOfWork implements UnitOfWork {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hooks: KyselyUnitOfWorkHooks = {},
  ) {}

  async run<T>(work: (stores: TransactionalStores) => Promise<T>): Promise<T> {
    let mailQueued = false;
    const result = await withTranslatedErrors(
      this.db.transaction().execute(async (trx) => {
        const outbox = new KyselyMailOutbox(trx);
        const enqueue = outbox.enqueue.bind(outbox);
        outbox.enqueue = async (mail) => {
          await enqueue(mail);
          mailQueued = true;
        };
        return work({
          users: new KyselyUserRepository(trx),
          sessions: new KyselySessionRepository(trx),
          oneTimeTokens: new KyselyOneTimeTokenStore(trx),
          outbox,
          audit: new KyselyAuditLog(trx),
        });
      }),
    );
    if (mailQueued) this.hooks.onMailCommitted?.();
    return result;
  }
}
