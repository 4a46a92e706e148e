import { sql } from 'kysely';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyMailOutbox } from '../../../adapters/kysely/kysely-mail-outbox.js';
import { KyselyOneTimeTokenStore } from '../../../adapters/kysely/kysely-one-time-token-store.js';
import { KyselySessionRepository } from '../../../adapters/kysely/kysely-session-repository.js';
import { KyselyUnitOfWork } from '../../../adapters/kysely/kysely-unit-of-work.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { mailOutboxContract } from '../../contract/mail-outbox.contract.js';
import { oneTimeTokenStoreContract } from '../../contract/one-time-token-store.contract.js';
import { unitOfWorkContract } from '../../contract/unit-of-work.contract.js';

/**
 * The mail stores' contracts over one engine. `handle` is the suite's database; `other` another connection to
 * it (another pool, as another instance would have), or the same handle where the engine has one connection.
 */
export function kyselyMailStoreContracts(engine: string, handles: () => { handle: DatabaseHandle; other: DatabaseHandle }): void {
  oneTimeTokenStoreContract(`KyselyOneTimeTokenStore (${engine})`, async () => {
    const { handle } = handles();
    return { tokens: new KyselyOneTimeTokenStore(handle.db), users: new KyselyUserRepository(handle.db), async close() {} };
  });

  mailOutboxContract(`KyselyMailOutbox (${engine})`, async () => {
    const { handle, other } = handles();
    // Claims see every due mail, so each test starts from an empty outbox.
    await sql`delete from mail_outbox`.execute(handle.db);
    return {
      outbox: new KyselyMailOutbox(handle.db),
      otherInstance: new KyselyMailOutbox(other.db),
      async read(id) {
        const row = await handle.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
        return (
          row && {
            status: row.status,
            sealedToken: row.sealed_token ?? undefined,
            params: row.params === null ? undefined : (JSON.parse(row.params) as Record<string, string>),
            lastError: row.last_error ?? undefined,
          }
        );
      },
      async close() {},
    };
  });

  unitOfWorkContract(`KyselyUnitOfWork (${engine})`, async () => {
    const { handle } = handles();
    let committed = 0;
    return {
      unitOfWork: new KyselyUnitOfWork(handle.db, { onMailCommitted: () => (committed += 1) }),
      users: new KyselyUserRepository(handle.db),
      sessions: new KyselySessionRepository(handle.db),
      oneTimeTokens: new KyselyOneTimeTokenStore(handle.db),
      outbox: new KyselyMailOutbox(handle.db),
      mailCommitted: () => committed,
      async close() {},
    };
  });
}
