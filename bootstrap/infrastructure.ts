import type { ContainerModule } from 'inversify';
import type { Config } from './config.js';
import { memoryRateLimitModule, redisRateLimitModule } from './modules/rate-limit-modules.js';
import { kyselyUserStoreModule, memoryUserStoreModule } from './modules/user-store-modules.js';

/** The store families, one module each; the features' modules bind use cases over whichever is loaded. */
export const infrastructure = {
  /** `DATABASE_URL=memory`: everything in the process, gone with it. Tests load this one. */
  memory: memoryUserStoreModule,
  /** PGlite (no DATABASE_URL) and PostgreSQL share one Kysely module: one schema, one migration list. */
  pglite: kyselyUserStoreModule,
  postgres: kyselyUserStoreModule,
  /** Budgets in the process (no REDIS_URL) or shared through Redis. */
  processRateLimits: memoryRateLimitModule,
  redis: redisRateLimitModule,
} as const;

/** What the configuration picks: a store family and a rate-limit family. */
export function infrastructureModules(config: Config): ContainerModule[] {
  return [infrastructure[config.database.kind], config.redisUrl === undefined ? infrastructure.processRateLimits : infrastructure.redis];
}
