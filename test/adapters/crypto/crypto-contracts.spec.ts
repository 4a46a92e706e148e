import { BcryptPasswordHasher } from '../../../adapters/crypto/bcrypt-password-hasher.js';
import { BoundedPasswordHasher } from '../../../adapters/crypto/bounded-password-hasher.js';
import { JoseKeySet } from '../../../adapters/crypto/jose-key-set.js';
import { JoseTokenIssuer } from '../../../adapters/crypto/jose-token-issuer.js';
import { passwordHasherContract } from '../../contract/password-hasher.contract.js';
import { tokenIssuerContract } from '../../contract/token-issuer.contract.js';
import { FakeClock } from '../../support/fake-clock.js';

// bcrypt's lowest cost: the contract is about behaviour, not strength.
passwordHasherContract('BcryptPasswordHasher', () => new BcryptPasswordHasher(4));
passwordHasherContract('BoundedPasswordHasher', () => new BoundedPasswordHasher(new BcryptPasswordHasher(4), { concurrency: 2, queueMax: 10 }));
tokenIssuerContract(
  'JoseTokenIssuer',
  async () =>
    new JoseTokenIssuer(
      await JoseKeySet.hmac('HS256', new TextEncoder().encode('k'.repeat(40))),
      { issuer: 'auth-service', audience: 'auth-service', ttlSeconds: 600, clockToleranceSeconds: 30 },
      new FakeClock(),
    ),
);
