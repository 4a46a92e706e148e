import { InMemoryPasskeyRepository } from '../../../adapters/memory/in-memory-passkey-repository.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { InMemoryWebAuthnChallengeStore } from '../../../adapters/memory/in-memory-web-authn-challenge-store.js';
import { passkeyRepositoryContract } from '../../contract/passkey-repository.contract.js';
import { webAuthnChallengeStoreContract } from '../../contract/web-authn-challenge-store.contract.js';

passkeyRepositoryContract('InMemoryPasskeyRepository', async () => {
  const users = new InMemoryUserRepository();
  const passkeys = new InMemoryPasskeyRepository(users);
  return { users, passkeys, otherInstance: passkeys, deleteUser: async (id) => void (await users.remove(id)), close: async () => {} };
});

webAuthnChallengeStoreContract('InMemoryWebAuthnChallengeStore', async () => {
  const challenges = new InMemoryWebAuthnChallengeStore();
  return { users: new InMemoryUserRepository(), challenges, otherInstance: challenges, close: async () => {} };
});
