import { Container, ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { featureHousekeeping, features } from './features.js';
import { infrastructureModules } from './infrastructure.js';
import { coreModule } from './modules/core-module.js';
import { housekeepingModule } from './modules/housekeeping-module.js';
import { httpModule } from './modules/http-module.js';
import { TOKENS } from './tokens.js';

/** Each feature's purges join the one housekeeping round (`TOKENS.HousekeepingJob`, all of them). */
const featureHousekeepingModule = new ContainerModule(({ bind }) => {
  for (const job of featureHousekeeping) bind(TOKENS.HousekeepingJob).toService(job);
});

/**
 * The composition root: the one place that knows which adapter serves which port. Configuration picks the
 * infrastructure (one module per store family); every feature of `features.ts` adds its own modules.
 */
export async function createContainer(config: Config, logger: Logger): Promise<Container> {
  // Singletons: one pool, one Redis client, one imported signing key for the whole process.
  const container = new Container({ defaultScope: 'Singleton' });
  await container.load(
    coreModule(config, logger),
    ...infrastructureModules(config),
    ...features.flatMap((feature) => feature.modules),
    ...features.flatMap((feature) => (feature.stores ? [feature.stores[config.database.kind === 'memory' ? 'memory' : 'kysely']] : [])),
    featureHousekeepingModule,
    housekeepingModule,
    httpModule,
  );
  return container;
}
