import { CountingHasher, PlainTokenIssuer } from '../support/fakes.js';
import { passwordHasherContract } from './password-hasher.contract.js';
import { tokenIssuerContract } from './token-issuer.contract.js';

// The tests' fakes keep the ports' promises, so a spec passing on them says something about the real adapters.
passwordHasherContract('CountingHasher', () => new CountingHasher());
tokenIssuerContract('PlainTokenIssuer', async () => new PlainTokenIssuer());
