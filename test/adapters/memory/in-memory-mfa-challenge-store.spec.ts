import { InMemoryMfaChallengeStore } from '../../../adapters/memory/in-memory-mfa-challenge-store.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { mfaChallengeStoreContract } from '../../contract/mfa-challenge-store.contract.js';

mfaChallengeStoreContract('InMemoryMfaChallengeStore', async () => {
  const challenges = new InMemoryMfaChallengeStore();
  return { users: new InMemoryUserRepository(), challenges, otherInstance: challenges, close: async () => {} };
});
