import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ApiClient, type Exchange } from '../support/http-client.js';
import { skipOrFail } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createThrowawayRedis, until, type ThrowawayRedis } from '../support/throwaway-services.js';
import { TEST_SECRET } from './http-api.suite.js';

const RECOVERY_MS = 15_000;
/** The client's command timeout is 500 ms; no request may wait on a dead Redis for longer than that and a little. */
const BOUND_MS = 1_500;

async function timed(request: () => Promise<Exchange>): Promise<Exchange> {
  const started = Date.now();
  const exchange = await request();
  expect(Date.now() - started, `${exchange.method} ${exchange.path} answered in bounded time`).to.be.below(BOUND_MS);
  return exchange;
}

// Without a token the route answers 401 after the rate limiter has counted the request: no database or bcrypt
// work muddies what is measured.
const probe = (client: ApiClient) => timed(() => client.request('GET', '/api/v1/users/me'));

describe('HTTP API while its Redis is killed and started again', function () {
  this.timeout(60_000);
  let redis: ThrowawayRedis | undefined;
  let inspector: Redis | undefined;
  let failOpen: TestServer;
  let failClosed: TestServer;

  before(async function () {
    try {
      redis = await createThrowawayRedis();
      await redis.start();
    } catch (error) {
      skipOrFail(this, 'A throw-away redis-server', error);
    }
    inspector = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
    // It is refused while the server is down, on purpose; without a listener ioredis prints each refusal.
    inspector.on('error', () => {});
    const env = { REDIS_URL: redis!.url, SECRET_KEY: TEST_SECRET };
    failOpen = await startTestServer(env);
    failClosed = await startTestServer({ ...env, RATE_LIMIT_FAIL_OPEN: 'false' });
  });

  after(async () => {
    await failOpen?.close();
    await failClosed?.close();
    inspector?.disconnect();
    await redis?.kill();
  });

  /** What Redis has counted for one client address, over every window (a run may straddle a minute). */
  async function countedInRedis(client: ApiClient): Promise<number> {
    // The per-IP limiter's prefix `rl:ip:`, then the client address and the window.
    const keys = await inspector!.keys(`rl:ip:${client.ip}:*`);
    const values = keys.length === 0 ? [] : await inspector!.mget(keys);
    return values.reduce((sum, value) => sum + Number(value ?? 0), 0);
  }

  const readiness = (server: TestServer) => new ApiClient(server.url).request('GET', '/health/ready');

  it('keeps answering from in-process limits while Redis is down, and counts in Redis again once it is back', async () => {
    const client = new ApiClient(failOpen.url);
    for (let i = 0; i < 3; i += 1) {
      const exchange = await probe(client);
      expect(exchange.status).to.equal(401);
      expect(exchange.headers.get('ratelimit-limit')).to.equal('1000');
    }
    expect(await countedInRedis(client)).to.equal(3);
    expect((await readiness(failOpen)).status).to.equal(200);

    await redis!.kill();

    for (let i = 0; i < 5; i += 1) {
      const exchange = await probe(client);
      expect(exchange.status, exchange.text).to.equal(401);
      expect(exchange.headers.get('ratelimit-remaining')).to.match(/^\d+$/);
    }
    const ready = await timed(() => readiness(failOpen));
    expect(ready.status).to.equal(503);
    expect(ready.body).to.deep.include({ checks: { database: 'ok', rate_limiter: 'unavailable' } });
    expect((await new ApiClient(failOpen.url).request('GET', '/health/live')).status).to.equal(200);

    await redis!.start();

    // Same port, same process: the client reconnects in the background and the limiter probes it again.
    await until('readiness is 200 again', async () => inspector!.status === 'ready' && (await readiness(failOpen)).status === 200, RECOVERY_MS);
    // A fresh Redis starts with no counters: each request that reaches it shows up there.
    await until('requests are counted in Redis again', async () => {
      const before = await countedInRedis(client);
      expect((await probe(client)).status).to.equal(401);
      return (await countedInRedis(client)) === before + 1;
    }, RECOVERY_MS);
    expect(failOpen.logLines.filter((line) => line.status === 500 || line.level === 50), 'no 500 and no error logged').to.deep.equal([]);
  });

  it('with RATE_LIMIT_FAIL_OPEN=false answers 503 with Retry-After while Redis is down, and serves once it is back', async () => {
    const client = new ApiClient(failClosed.url);
    expect((await probe(client)).status).to.equal(401);

    await redis!.kill();
    const outageStart = failClosed.logLines.length;

    for (let i = 0; i < 20; i += 1) {
      const exchange = await probe(client);
      expect(exchange.status, exchange.text).to.equal(503);
      expect(exchange.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(exchange.headers.get('retry-after')).to.equal('1');
      expect(exchange.text).not.to.match(/ECONNREFUSED|Connection is closed|\.ts:\d|\.js:\d|stack/i);
    }
    const ready = await timed(() => readiness(failClosed));
    expect(ready.status).to.equal(503);
    expect(ready.body).to.deep.include({ checks: { database: 'ok', rate_limiter: 'unavailable' } });

    await redis!.start();

    await until('requests are served again', async () => (await probe(client)).status === 401, RECOVERY_MS);
    expect((await readiness(failClosed)).status).to.equal(200);
    // The change of state is logged, once each way, as on the fail-open path; not a warning per refused request.
    const outageLog = failClosed.logLines.slice(outageStart).filter((line) => line.msg !== 'request');
    expect(outageLog.filter((line) => Number(line.level) >= 40).map((line) => line.msg)).to.deep.equal([
      'redis rate limiter unavailable; refusing requests',
    ]);
    expect(outageLog.filter((line) => line.msg === 'redis rate limiter available again')).to.have.lengthOf(1);
    expect(failClosed.logLines.filter((line) => line.status === 500 || line.level === 50), 'no 500 and no error logged').to.deep.equal([]);
  });
});
