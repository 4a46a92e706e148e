import { InMemoryTotpFactorRepository } from '../../../adapters/memory/in-memory-totp-factor-repository.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { totpFactorRepositoryContract } from '../../contract/totp-factor-repository.contract.js';

totpFactorRepositoryContract('InMemoryTotpFactorRepository', async () => {
  const users = new InMemoryUserRepository();
  const factors = new InMemoryTotpFactorRepository(users);
  // One process holds the only copy: "another instance" of an in-memory store is the same store.
  return { users, factors, otherInstance: factors, close: async () => {} };
});
