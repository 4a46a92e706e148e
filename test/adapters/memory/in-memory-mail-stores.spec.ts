import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { InMemoryMailOutbox } from '../../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemorySessionRepository } from '../../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUnitOfWork } from '../../../adapters/memory/in-memory-unit-of-work.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { mailOutboxContract } from '../../contract/mail-outbox.contract.js';
import { oneTimeTokenStoreContract } from '../../contract/one-time-token-store.contract.js';
import { unitOfWorkContract } from '../../contract/unit-of-work.contract.js';

oneTimeTokenStoreContract('InMemoryOneTimeTokenStore', async () => ({
  tokens: new InMemoryOneTimeTokenStore(),
  users: new InMemoryUserRepository(),
  async close() {},
}));

mailOutboxContract('InMemoryMailOutbox', async () => {
  const outbox = new InMemoryMailOutbox();
  return {
    outbox,
    otherInstance: outbox,
    async read(id) {
      const mail = outbox.all().find((stored) => stored.id === id);
      return mail && { status: mail.status, sealedToken: mail.sealedToken, params: mail.params, lastError: mail.lastError };
    },
    async close() {},
  };
});

unitOfWorkContract('InMemoryUnitOfWork', async () => {
  const users = new InMemoryUserRepository();
  const stores = {
    users,
    sessions: new InMemorySessionRepository(users),
    oneTimeTokens: new InMemoryOneTimeTokenStore(),
    outbox: new InMemoryMailOutbox(),
    audit: new InMemoryAuditLog(),
  };
  let committed = 0;
  return {
    ...stores,
    unitOfWork: new InMemoryUnitOfWork(stores, { onMailCommitted: () => (committed += 1) }),
    mailCommitted: () => committed,
    async close() {},
  };
});
