/** `auth-service/adapters/redis`: rate limits shared by every instance, with an in-process fallback for outages. */
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { FallbackRateLimiter, type FallbackRateLimiterOptions } from './fallback-rate-limiter.js';
export { createRedisClient, redisReady, type RedisClientOptions } from './redis-client.js';
