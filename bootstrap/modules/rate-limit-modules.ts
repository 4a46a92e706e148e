import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { InMemoryRateLimiter, type FixedWindowOptions } from '../../adapters/memory/in-memory-rate-limiter.js';
import { FallbackRateLimiter } from '../../adapters/redis/fallback-rate-limiter.js';
import { RedisRateLimiter } from '../../adapters/redis/redis-rate-limiter.js';
import { LoginThrottle, MailThrottle, type Clock, type RateLimiter } from '../../application/index.js';
import type { Config } from '../config.js';
import { token, TOKENS } from '../tokens.js';

const REDIS_CONNECT_TIMEOUT_MS = 5_000;
const REDIS_CLIENT = token<Redis>('RedisClient');

interface LimiterSpec extends FixedWindowOptions {
  /** Names the counters in a shared store, so the budgets never mix. */
  readonly name: string;
}

type LimiterFactory = (spec: LimiterSpec) => RateLimiter;
const LIMITER_FACTORY = token<LimiterFactory>('LimiterFactory');

/**
 * The three budgets of the service. Log-in failures: one attacker address gets 5 guesses per account per 15
 * minutes; all addresses together 10 per 5 minutes, so a distributed guesser is slowed to 120 an hour while the
 * owner, locked out at worst, is locked out for 5 minutes.
 */
function limiterSpecs(config: Config) {
  return {
    perIp: { name: 'ip', limit: config.rateLimitPerMinute, windowMs: 60_000 },
    loginPerAccount: { name: 'login:account', limit: config.loginMaxFailuresPerAccount, windowMs: 5 * 60_000 },
    loginPerAccountAddress: { name: 'login:pair', limit: config.loginMaxFailuresPerAccountAddress, windowMs: 15 * 60_000 },
    mailPerAddress: { name: 'mail:address', limit: config.mail.limitPerAddressPerHour, windowMs: 3_600_000 },
    mailPerClient: { name: 'mail:client', limit: config.mail.limitPerClientPerHour, windowMs: 3_600_000 },
  } satisfies Record<string, LimiterSpec>;
}

/** Binds the limiters every deployment has, from whichever factory the chosen module provides. */
function bindLimiters(bind: Parameters<ConstructorParameters<typeof ContainerModule>[0]>[0]['bind']): void {
  bind(TOKENS.RateLimiter).toResolvedValue(
    (config: Config, create: LimiterFactory) => create(limiterSpecs(config).perIp),
    [TOKENS.Config, LIMITER_FACTORY],
  );
  bind(TOKENS.LoginThrottle).toResolvedValue(
    (config: Config, create: LimiterFactory) => {
      const specs = limiterSpecs(config);
      return new LoginThrottle(create(specs.loginPerAccount), create(specs.loginPerAccountAddress));
    },
    [TOKENS.Config, LIMITER_FACTORY],
  );
  bind(TOKENS.MailThrottle).toResolvedValue(
    (config: Config, create: LimiterFactory) => {
      const specs = limiterSpecs(config);
      return new MailThrottle(create(specs.mailPerAddress), create(specs.mailPerClient));
    },
    [TOKENS.Config, LIMITER_FACTORY],
  );
}

/** No `REDIS_URL`: each process limits on its own. */
export const memoryRateLimitModule = new ContainerModule(({ bind }) => {
  bind(LIMITER_FACTORY).toResolvedValue((clock: Clock) => (spec: LimiterSpec) => new InMemoryRateLimiter(spec, clock), [TOKENS.Clock]);
  bindLimiters(bind);
  bind(TOKENS.RateLimiterReadiness).toConstantValue({ name: 'rate_limiter', check: async () => {} });
});

/** `REDIS_URL`: budgets shared by every instance, with in-process limiters behind them for outages. */
export const redisRateLimitModule = new ContainerModule(({ bind }) => {
  bind(REDIS_CLIENT)
    .toResolvedValue(
      async (config: Config, logger: Logger) => {
        // Imported here: ioredis costs start-up time in every deployment without REDIS_URL.
        const { createRedisClient, redisReady } = await import('../../adapters/redis/redis-client.js');
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
  bind(LIMITER_FACTORY).toResolvedValue(
    (config: Config, clock: Clock, logger: Logger, client: Redis) => (spec: LimiterSpec) =>
      new FallbackRateLimiter(
        new RedisRateLimiter(client, { ...spec, prefix: `rl:${spec.name}:` }, clock),
        new InMemoryRateLimiter(spec, clock),
        {
          failOpen: config.rateLimitFailOpen,
          onPrimaryDown: (error) =>
            logger.warn(
              { err: error, limiter: spec.name, failOpen: config.rateLimitFailOpen },
              `redis rate limiter unavailable; ${config.rateLimitFailOpen ? 'limiting in process' : 'refusing requests'}`,
            ),
          onPrimaryUp: () => logger.info({ limiter: spec.name }, 'redis rate limiter available again'),
        },
        clock,
      ),
    [TOKENS.Config, TOKENS.Clock, TOKENS.Logger, REDIS_CLIENT],
  );
  bindLimiters(bind);
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
