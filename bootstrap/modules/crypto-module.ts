import { ContainerModule } from 'inversify';
import { PasswordPolicy } from '../../domain/index.js';
import { BcryptPasswordHasher } from '../../adapters/crypto/bcrypt-password-hasher.js';
import { BoundedPasswordHasher } from '../../adapters/crypto/bounded-password-hasher.js';
import { JoseTokenIssuer } from '../../adapters/crypto/jose-token-issuer.js';
import { loadZxcvbnCommonPasswords } from '../../adapters/zxcvbn/zxcvbn-common-password-list.js';
import type { Clock } from '../../application/index.js';
import type { Config } from '../config.js';
import { loadOrCreateDevelopmentSecret } from '../development-secret.js';
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
  bind(TOKENS.TokenIssuer).toResolvedValue(
    async (config: Config, clock: Clock) => {
      const secret = config.secretKey ?? (await loadOrCreateDevelopmentSecret(config.dataDir));
      return JoseTokenIssuer.create(
        {
          secret: new TextEncoder().encode(secret),
          algorithm: config.algorithm,
          issuer: config.jwtIssuer,
          audience: config.jwtAudience,
          ttlSeconds: config.accessTokenTtlSeconds,
          clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
        },
        clock,
      );
    },
    [TOKENS.Config, TOKENS.Clock],
  );
});
