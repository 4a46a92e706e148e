import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { InMemoryRateLimiter } from '../../adapters/memory/in-memory-rate-limiter.js';
import { FallbackRateLimiter } from '../../adapters/redis/fallback-rate-limiter.js';
import { createRedisClient, redisReady } from '../../adapters/redis/redis-client.js';
import { RedisRateLimiter } from '../../adapters/redis/redis-rate-limiter.js';
import type { Clock } from '../../application/index.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

const WINDOW_MS = 60_000;
const REDIS_CONNECT_TIMEOUT_MS = 5_000;
const REDIS_CLIENT = Symbol('RedisClient');

const perIpWindow = (config: Config) => ({ limit: config.rateLimitPerMinute, windowMs: WINDOW_MS });

/** No `REDIS_URL`: each process limits on its own. */
export const memoryRateLimitModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.RateLimiter).toResolvedValue(
    (config: Config, clock: Clock) => new InMemoryRateLimiter(perIpWindow(config), clock),
    [TOKENS.Config, TOKENS.Clock],
  );
  bind(TOKENS.RateLimiterReadiness).toConstantValue({ name: 'rate_limiter', check: async () => {} });
});

/** `REDIS_URL`: one budget shared by every instance, with the in-process limiter behind it for outages. */
export const redisRateLimitModule = new ContainerModule(({ bind }) => {
  bind<Redis>(REDIS_CLIENT)
    .toResolvedValue(
      async (config: Config, logger: Logger) => {
        const client = createRedisClient(config.redisUrl!, { onError: (error) => logger.debug({ err: error }, 'redis error') });
        try {
          await redisReady(client, REDIS_CONNECT_TIMEOUT_MS);
        } catch (error) {
          // Start anyway: the fallback limiter answers until Redis comes up, and readiness says it is down.
          logger.warn({ err: error }, 'redis not reachable at start-up');
        }
        return client;
      },
      [TOKENS.Config, TOKENS.Logger],
    )
    .onDeactivation(async (client) => {
      await client.quit().catch(() => client.disconnect());
    });
  bind(TOKENS.RateLimiter).toResolvedValue(
    (config: Config, clock: Clock, logger: Logger, client: Redis) =>
      new FallbackRateLimiter(
        new RedisRateLimiter(client, { ...perIpWindow(config), prefix: 'rl:ip:' }, clock),
        new InMemoryRateLimiter(perIpWindow(config), clock),
        {
          failOpen: config.rateLimitFailOpen,
          onPrimaryDown: (error) =>
            logger.warn({ err: error, failOpen: config.rateLimitFailOpen }, 'redis rate limiter unavailable; limiting in process'),
          onPrimaryUp: () => logger.info('redis rate limiter available again'),
        },
        clock,
      ),
    [TOKENS.Config, TOKENS.Clock, TOKENS.Logger, REDIS_CLIENT],
  );
  bind(TOKENS.RateLimiterReadiness).toResolvedValue(
    (client: Redis) => ({
      name: 'rate_limiter',
      check: async () => {
        await client.ping();
      },
    }),
    [REDIS_CLIENT],
  );
});
