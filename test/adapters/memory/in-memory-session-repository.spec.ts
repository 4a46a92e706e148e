import { InMemorySessionRepository } from '../../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { sessionRepositoryContract } from '../../contract/session-repository.contract.js';

sessionRepositoryContract('InMemorySessionRepository', async () => {
  const users = new InMemoryUserRepository();
  return { users, sessions: new InMemorySessionRepository(users), close: async () => {} };
});
