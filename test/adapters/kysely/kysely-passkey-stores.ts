import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyPasskeyRepository } from '../../../adapters/kysely/kysely-passkey-repository.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { KyselyWebAuthnChallengeStore } from '../../../adapters/kysely/kysely-web-authn-challenge-store.js';
import { passkeyRepositoryContract } from '../../contract/passkey-repository.contract.js';
import { webAuthnChallengeStoreContract } from '../../contract/web-authn-challenge-store.contract.js';

/**
 * The passkey stores' contracts over one engine. `handle` is the suite's database; `other` another connection to
 * it (another pool, as another instance would have), or the same handle where the engine has one connection.
 */
export function kyselyPasskeyStoreContracts(engine: string, handles: () => { handle: DatabaseHandle; other: DatabaseHandle }): void {
  passkeyRepositoryContract(`KyselyPasskeyRepository (${engine})`, async () => {
    const { handle, other } = handles();
    const users = new KyselyUserRepository(handle.db);
    return {
      users,
      passkeys: new KyselyPasskeyRepository(handle.db),
      otherInstance: new KyselyPasskeyRepository(other.db),
      deleteUser: async (id) => void (await users.remove(id)),
      async close() {},
    };
  });

  webAuthnChallengeStoreContract(`KyselyWebAuthnChallengeStore (${engine})`, async () => {
    const { handle, other } = handles();
    return {
      users: new KyselyUserRepository(handle.db),
      challenges: new KyselyWebAuthnChallengeStore(handle.db),
      otherInstance: new KyselyWebAuthnChallengeStore(other.db),
      async close() {},
    };
  });
}
