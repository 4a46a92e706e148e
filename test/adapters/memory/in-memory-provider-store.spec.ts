import { InMemoryProviderStore } from '../../../adapters/memory/in-memory-provider-store.js';
import { InMemoryUserRepository } from '../../../adapters/memory/in-memory-user-repository.js';
import { providerStoreContract } from '../../contract/provider-store.contract.js';

providerStoreContract('InMemoryProviderStore', async () => {
  const store = new InMemoryProviderStore();
  return { store, otherInstance: store, users: new InMemoryUserRepository(), close: async () => {} };
});
