import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { administrationModule } from './modules/administration-module.js';
import { coreModule } from './modules/core-module.js';
import { cryptoModule } from './modules/crypto-module.js';
import { freshAuthenticationModule } from './modules/fresh-authentication-module.js';
import { housekeepingModule } from './modules/housekeeping-module.js';
import { httpModule } from './modules/http-module.js';
import { mailModule } from './modules/mail-module.js';
import { pagesModule } from './modules/pages-module.js';
import { memoryRateLimitModule, redisRateLimitModule } from './modules/rate-limit-modules.js';
import { kyselyPasskeyStoreModule, memoryPasskeyStoreModule, passkeysModule } from './modules/passkeys-module.js';
import { twoFactorModule } from './modules/two-factor-module.js';
import { useCaseModule } from './modules/use-case-module.js';
import { webhooksModule } from './modules/webhooks-module.js';
import { kyselyUserStoreModule, memoryUserStoreModule } from './modules/user-store-modules.js';

/**
 * The composition root: the one place that knows which adapter serves which port. Configuration picks one
 * module per adapter family.
 */
export async function createContainer(config: Config, logger: Logger): Promise<Container> {
  // Singletons: one pool, one Redis client, one imported signing key for the whole process.
  const container = new Container({ defaultScope: 'Singleton' });
  await container.load(
    coreModule(config, logger),
    cryptoModule,
    config.database.kind === 'memory' ? memoryUserStoreModule : kyselyUserStoreModule,
    config.redisUrl === undefined ? memoryRateLimitModule : redisRateLimitModule,
    mailModule,
    useCaseModule,
    twoFactorModule,
    config.database.kind === 'memory' ? memoryPasskeyStoreModule : kyselyPasskeyStoreModule,
    passkeysModule,
    administrationModule,
    freshAuthenticationModule,
    housekeepingModule,
    pagesModule,
    webhooksModule,
    httpModule,
  );
  return container;
}
