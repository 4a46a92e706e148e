import { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** Connection errors, one per failed attempt while Redis is down; the caller decides how loudly to log. */
  readonly onError: (error: Error) => void;
}

/**
 * A client that fails fast: while Redis is down a command is refused at once instead of queueing, so a
 * request never waits on Redis longer than `commandTimeout`, and the caller (see `FallbackRateLimiter`)
 * decides what to do. Reconnection keeps going in the background.
 */
export function createRedisClient(url: string, { onError }: RedisClientOptions): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    // Refuse commands while disconnected rather than hold them until Redis comes back.
    enableOfflineQueue: false,
    // A command caught in flight by a disconnect fails at the first reconnection attempt.
    maxRetriesPerRequest: 0,
    // INCR is not idempotent: replaying a command that may already have run would count a request twice.
    autoResendUnfulfilledCommands: false,
    // A healthy Redis answers in well under a millisecond; 500 ms means it is in trouble.
    commandTimeout: 500,
    connectTimeout: 1_000,
    // Never give up; back off to at most 2 s, with jitter so that instances do not reconnect in step.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000) + Math.floor(Math.random() * 100),
  });
  // Without a listener, ioredis reports every failed attempt as an unhandled error event.
  client.on('error', onError);
  return client;
}

/**
 * Resolves once the client can take commands. Commands sent before that are refused (no offline queue), so
 * start-up and tests wait here, with a bound, rather than treating the first seconds as an outage.
 */
export async function redisReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
