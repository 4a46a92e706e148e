import { ContainerModule } from 'inversify';
import { PasswordPolicy } from '../../domain/index.js';
import { AesGcmSecretBox } from '../../adapters/crypto/aes-gcm-secret-box.js';
import { BcryptPasswordHasher } from '../../adapters/crypto/bcrypt-password-hasher.js';
import { BoundedPasswordHasher } from '../../adapters/crypto/bounded-password-hasher.js';
import { JoseKeySet } from '../../adapters/crypto/jose-key-set.js';
import { JoseTokenIssuer } from '../../adapters/crypto/jose-token-issuer.js';
import { isHmacAlgorithm } from '../../adapters/crypto/signing-algorithms.js';
import { loadZxcvbnCommonPasswords } from '../../adapters/zxcvbn/zxcvbn-common-password-list.js';
import type { Clock } from '../../application/index.js';
import type { Config } from '../config.js';
import { loadOrCreateDevelopmentEncryptionKey, loadOrCreateDevelopmentSecret } from '../development-secret.js';
import { TOKENS } from '../tokens.js';

/** Seconds of clock skew between instances that token verification forgives. */
const CLOCK_TOLERANCE_SECONDS = 30;

export const cryptoModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.BoundedPasswordHasher).toResolvedValue(
    (config: Config) =>
      new BoundedPasswordHasher(new BcryptPasswordHasher(config.bcryptCost), {
        concurrency: config.hashConcurrency,
        queueMax: config.hashQueueMax,
      }),
    [TOKENS.Config],
  );
  // The use cases see a plain PasswordHasher; metrics read the queue depth from the same instance.
  bind(TOKENS.PasswordHasher).toService(TOKENS.BoundedPasswordHasher);
  bind(TOKENS.PasswordPolicy).toResolvedValue(() => new PasswordPolicy(loadZxcvbnCommonPasswords()));
  bind(TOKENS.SigningKeys).toResolvedValue(
    async (config: Config) => {
      const { algorithm } = config;
      if (isHmacAlgorithm(algorithm)) {
        const encode = (secret: string) => new TextEncoder().encode(secret);
        const current = config.secretKey ?? (await loadOrCreateDevelopmentSecret(config.dataDir));
        return JoseKeySet.hmac(algorithm, encode(current), config.secretKeyPrevious === undefined ? [] : [encode(config.secretKeyPrevious)]);
      }
      // The configuration guarantees a private key for an asymmetric algorithm.
      return JoseKeySet.asymmetric(algorithm, config.privateKey!, config.previousPublicKey === undefined ? [] : [config.previousPublicKey]);
    },
    [TOKENS.Config],
  );
  bind(TOKENS.SecretBox).toResolvedValue(
    async (config: Config) =>
      new AesGcmSecretBox(
        config.dataEncryptionKey ?? (await loadOrCreateDevelopmentEncryptionKey(config.dataDir)),
        config.dataEncryptionKeyPrevious === undefined ? [] : [config.dataEncryptionKeyPrevious],
      ),
    [TOKENS.Config],
  );
  bind(TOKENS.TokenIssuer).toResolvedValue(
    (config: Config, clock: Clock, keys: JoseKeySet) =>
      new JoseTokenIssuer(
        keys,
        {
          issuer: config.jwtIssuer,
          audience: config.jwtAudience,
          ttlSeconds: config.accessTokenTtlSeconds,
          clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
        },
        clock,
      ),
    [TOKENS.Config, TOKENS.Clock, TOKENS.SigningKeys],
  );
});
