import { expect } from 'chai';
import type { Exchange } from '../support/http-client.js';
import { REDIS_URL, requireRedis } from '../support/services.js';
import { METRICS_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';
import { forwardedAddress, loopbackAddress, rawRequest, withinOneWindow } from './raw-request.js';

type ServerFactory = (env: Record<string, string>) => Promise<TestServer>;

const LIMITED_PATH = '/api/v1/users/me';
const UNLIMITED_PATHS = ['/health/live', '/health/ready', '/openapi.json', '/docs', '/redoc'];

function remaining(exchange: Exchange): number {
  return Number(exchange.headers.get('ratelimit-remaining'));
}

function expectNoRateLimitFields(exchange: Exchange): void {
  for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']) {
    expect(exchange.headers.get(name), `${exchange.path}: ${name}`).to.equal(null);
  }
}

function expectTooManyRequests(exchange: Exchange): void {
  expect(exchange.status, exchange.text).to.equal(429);
  expect(exchange.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(exchange.body).to.include({ type: 'about:blank', status: 429 });
  expect(exchange.headers.get('ratelimit-limit')).to.equal('3');
  expect(exchange.headers.get('ratelimit-remaining')).to.equal('0');
  const reset = exchange.headers.get('ratelimit-reset');
  expect(Number(reset)).to.be.within(1, 60);
  expect(exchange.headers.get('retry-after')).to.equal(reset);
}

/** The rate-limit rows of docs/api.md over HTTP, with a budget of 3 a minute; run once per limiter. */
function rateLimitSuite(name: string, startServer: ServerFactory): void {
  describe(`rate limiting over HTTP (${name})`, function () {
    let behindProxy: TestServer;
    let direct: TestServer;

    before(async () => {
      behindProxy = await startServer({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true', METRICS_TOKEN });
      direct = await startServer({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'false' });
    });
    after(async () => {
      await behindProxy?.close();
      await direct?.close();
    });

    it('allows three requests a minute, counting down, and answers the fourth with 429 and Retry-After', async () => {
      const exchanges = await withinOneWindow(async () => {
        const client = forwardedAddress();
        const sent: Exchange[] = [];
        for (let i = 0; i < 4; i++) sent.push(await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { forwardedFor: client }));
        return { exchanges: sent, result: sent };
      });
      for (const exchange of exchanges.slice(0, 3)) {
        expect(exchange.status, exchange.text).to.equal(401);
        expect(exchange.headers.get('ratelimit-limit')).to.equal('3');
        expect(Number(exchange.headers.get('ratelimit-reset'))).to.be.within(1, 60);
        expect(exchange.headers.get('retry-after')).to.equal(null);
      }
      expect(exchanges.slice(0, 3).map(remaining)).to.deep.equal([2, 1, 0]);
      expectTooManyRequests(exchanges[3]!);

      const someoneElse = await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { forwardedFor: forwardedAddress() });
      expect(someoneElse.status).to.equal(401);
    });

    it('never limits health, metrics and documentation routes, even for a client over its budget', async () => {
      const client = forwardedAddress();
      const spent = await withinOneWindow(async () => {
        const sent: Exchange[] = [];
        for (let i = 0; i < 4; i++) sent.push(await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { forwardedFor: client }));
        return { exchanges: sent, result: sent };
      });
      expect(spent[3]!.status).to.equal(429);

      for (const path of UNLIMITED_PATHS) {
        for (let i = 0; i < 5; i++) {
          const exchange = await rawRequest(behindProxy.url, 'GET', path, { forwardedFor: client });
          expect(exchange.status, `${path}: ${exchange.text.slice(0, 200)}`).to.equal(200);
          expectNoRateLimitFields(exchange);
        }
      }
      // Served on this port to the METRICS_TOKEN bearer, and never counted against the client.
      for (let i = 0; i < 5; i++) {
        const metrics = await rawRequest(behindProxy.url, 'GET', '/metrics', { forwardedFor: client, token: METRICS_TOKEN });
        expect(metrics.status).to.equal(200);
        expectNoRateLimitFields(metrics);
      }
    });

    it('counts requests to unknown /api/v1 paths', async () => {
      const exchanges = await withinOneWindow(async () => {
        const client = forwardedAddress();
        const sent: Exchange[] = [];
        for (const path of ['/api/v1/no-such-thing', '/api/v1', '/api/v1/auth/nowhere', LIMITED_PATH]) {
          sent.push(await rawRequest(behindProxy.url, 'GET', path, { forwardedFor: client }));
        }
        return { exchanges: sent, result: sent };
      });
      expect(exchanges.slice(0, 3).map((e) => e.status)).to.deep.equal([404, 404, 404]);
      expect(exchanges.slice(0, 3).map(remaining)).to.deep.equal([2, 1, 0]);
      expectTooManyRequests(exchanges[3]!);
    });

    it('without TRUST_PROXY counts by socket address, whatever X-Forwarded-For claims', async () => {
      const { sameSocket, otherSocket } = await withinOneWindow(async () => {
        const socket = loopbackAddress();
        const same: Exchange[] = [];
        for (let i = 0; i < 4; i++) {
          same.push(await rawRequest(direct.url, 'GET', LIMITED_PATH, { from: socket, forwardedFor: forwardedAddress() }));
        }
        const other = await rawRequest(direct.url, 'GET', LIMITED_PATH, { from: loopbackAddress(), forwardedFor: forwardedAddress() });
        return { exchanges: [...same, other], result: { sameSocket: same, otherSocket: other } };
      });
      expect(sameSocket.slice(0, 3).map(remaining)).to.deep.equal([2, 1, 0]);
      expectTooManyRequests(sameSocket[3]!);
      expect(otherSocket.status).to.equal(401);
      expect(remaining(otherSocket)).to.equal(2);
    });

    it('with TRUST_PROXY believes only the last X-Forwarded-For hop', async () => {
      const { spent, sameLastHop, lastHopAlone, otherLastHop } = await withinOneWindow(async () => {
        const client = forwardedAddress();
        const spoofed = forwardedAddress();
        const sent: Exchange[] = [];
        // What the client wrote comes first; the hop our proxy appended is last.
        for (let i = 0; i < 3; i++) {
          sent.push(await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { from: loopbackAddress(), forwardedFor: `${forwardedAddress()}, ${client}` }));
        }
        const same = await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { forwardedFor: `${spoofed}, ${client}` });
        const alone = await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { forwardedFor: client });
        const other = await rawRequest(behindProxy.url, 'GET', LIMITED_PATH, { forwardedFor: `${client}, ${spoofed}` });
        return {
          exchanges: [...sent, same, alone, other],
          result: { spent: sent, sameLastHop: same, lastHopAlone: alone, otherLastHop: other },
        };
      });
      expect(spent.map(remaining)).to.deep.equal([2, 1, 0]);
      expectTooManyRequests(sameLastHop);
      expectTooManyRequests(lastHopAlone);
      expect(otherLastHop.status).to.equal(401);
      expect(remaining(otherLastHop)).to.equal(2);
    });
  });
}

rateLimitSuite('in-process limiter', (env) => startTestServer(env));

describe('rate limiting over HTTP with Redis', function () {
  before(async function () {
    await requireRedis(this);
  });

  rateLimitSuite('Redis limiter', (env) => startTestServer({ REDIS_URL, ...env }));
});
