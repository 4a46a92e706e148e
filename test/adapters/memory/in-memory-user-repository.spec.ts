import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { userRepositoryContract } from '../../contract/user-repository.contract.js';

userRepositoryContract('InMemoryUserRepository', async () => ({
  repository: new InMemoryUserRepository(),
  async close() {},
}));
