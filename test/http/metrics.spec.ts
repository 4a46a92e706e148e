import { createServer, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import { eventually } from '../support/eventually.js';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { assertResponseMatchesDocument } from '../support/openapi-response-validator.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { METRICS_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';

/** The value of one sample of the exposition, or undefined when the series is absent. */
export function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

async function scrape(client: ApiClient): Promise<Exchange & { text: string }> {
  const response = await client.request('GET', '/metrics', { token: METRICS_TOKEN });
  expect(response.status, response.text).to.equal(200);
  assertResponseMatchesDocument(response);
  return response;
}

describe('GET /metrics', function () {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '5', METRICS_TOKEN });
  });
  after(async () => server?.close());

  it('answers in the Prometheus text format with the process metrics, and is not rate limited', async () => {
    const client = new ApiClient(server.url);
    for (let i = 0; i < 7; i++) await scrape(client);
    const response = await scrape(client);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('ratelimit-limit')).to.equal(null);
    expect(sample(response.text, 'process_cpu_user_seconds_total')).to.be.a('number');
    expect(sample(response.text, 'nodejs_eventloop_lag_seconds')).to.be.a('number');
  });

  it('times requests by method, matched route and status, never by raw path', async () => {
    const client = new ApiClient(server.url);
    await client.request('GET', '/api/v1/users/me');
    await client.request('GET', '/api/v1/no-such-thing/0193b6c2');
    await client.request('GET', '/health/live');
    const { text } = await scrape(new ApiClient(server.url));
    const count = (route: string, status: string) =>
      sample(text, 'http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/api/v1/users/me', '401')).to.be.at.least(1);
    expect(count('/health/live', '200')).to.be.at.least(1);
    expect(count('unmatched', '404')).to.be.at.least(1);
    expect(text).not.to.include('0193b6c2');
  });

  it('counts log-ins by outcome', async () => {
    const client = new ApiClient(server.url);
    const account = newAccount();
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    const before = (await scrape(new ApiClient(server.url))).text;
    expect((await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } })).status).to.equal(200);
    expect((await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'not-the-password' } })).status).to.equal(401);
    const after = (await scrape(new ApiClient(server.url))).text;
    const delta = (outcome: string) =>
      (sample(after, 'auth_logins_total', { outcome }) ?? 0) - (sample(before, 'auth_logins_total', { outcome }) ?? 0);
    expect(delta('success')).to.equal(1);
    expect(delta('invalid_credentials')).to.equal(1);
  });

  it('counts rate-limit decisions, allowed and refused', async () => {
    const before = (await scrape(new ApiClient(server.url))).text;
    const client = new ApiClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.request('GET', '/api/v1/users/me')).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
    const after = (await scrape(new ApiClient(server.url))).text;
    const delta = (decision: string) =>
      (sample(after, 'rate_limit_decisions_total', { decision }) ?? 0) - (sample(before, 'rate_limit_decisions_total', { decision }) ?? 0);
    expect(delta('allowed')).to.equal(5);
    expect(delta('refused')).to.equal(1);
  });

  it('reports the password-hash queue, and no pool without a database server', async () => {
    const { text } = await scrape(new ApiClient(server.url));
    expect(sample(text, 'password_hash_queue_depth')).to.equal(0);
    expect(sample(text, 'password_hash_in_progress')).to.equal(0);
    expect(sample(text, 'db_pool_connections_in_use')).to.equal(undefined);
  });

  it('keeps each instance in a registry of its own', async () => {
    const other = await startTestServer({ METRICS_TOKEN });
    try {
      const client = new ApiClient(other.url);
      await client.request('GET', '/health/live');
      const { text } = await scrape(new ApiClient(other.url));
      expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/health/live', status: '200' })).to.equal(1);
      expect(sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/users/me' })).to.equal(undefined);
    } finally {
      await other.close();
    }
  });
});

describe('Where metrics are served', function () {
  it('serves no /metrics with neither METRICS_PORT nor METRICS_TOKEN', async () => {
    const server = await startTestServer();
    try {
      expect(server.metricsUrl).to.equal(undefined);
      const response = await new ApiClient(server.url).request('GET', '/metrics', { token: METRICS_TOKEN });
      expect(response.status).to.equal(404);
      expect(response.text).not.to.include('process_cpu_user_seconds_total');
    } finally {
      await server.close();
    }
  });

  it('serves /metrics on the API port to the METRICS_TOKEN bearer only', async () => {
    const server = await startTestServer({ METRICS_TOKEN });
    try {
      const client = new ApiClient(server.url);
      for (const token of [undefined, 'wrong', `${METRICS_TOKEN.slice(0, -1)}x`, `${METRICS_TOKEN}0`]) {
        const refused = await client.request('GET', '/metrics', token === undefined ? {} : { token });
        expect(refused.status, String(token)).to.equal(401);
        // RFC 6750 §3: a Bearer challenge; the error names why the token was refused.
        expect(refused.headers.get('www-authenticate')).to.match(/^Bearer\b/);
        expect(refused.text).not.to.include('process_cpu_user_seconds_total');
        assertResponseMatchesDocument(refused);
      }
      const basic = await client.request('GET', '/metrics', { headers: { Authorization: `Basic ${METRICS_TOKEN}` } });
      expect(basic.status).to.equal(401);
      expect((await scrape(client)).text).to.include('process_cpu_user_seconds_total');
    } finally {
      await server.close();
    }
  });

  it('serves METRICS_PORT on a listener of its own, never on the API port, and closes it with the server', async () => {
    const server = await startTestServer({ METRICS_PORT: '0' });
    let closed = false;
    try {
      expect(server.metricsUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await new ApiClient(server.url).request('GET', '/metrics', { token: METRICS_TOKEN })).status).to.equal(404);
      const client = new ApiClient(server.url);
      await client.request('GET', '/health/live');
      const exposition = await fetch(`${server.metricsUrl}/metrics`);
      expect(exposition.status).to.equal(200);
      const text = await exposition.text();
      expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/health/live', status: '200' })).to.equal(1);
      expect((await fetch(`${server.metricsUrl}/api/v1/users/me`)).status).to.equal(404);
      await server.close();
      closed = true;
      let error: unknown;
      await fetch(`${server.metricsUrl}/metrics`).catch((e: unknown) => (error = e));
      expect(error, 'the metrics listener still answers after close').to.be.instanceOf(Error);
    } finally {
      if (!closed) await server.close();
    }
  });
});

describe('A taken METRICS_PORT', function () {
  it('fails the start', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      let error: unknown;
      await startTestServer({ METRICS_PORT: String(port) }).then(
        (server) => server.close(),
        (e: unknown) => (error = e),
      );
      expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('EADDRINUSE');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('GET /metrics on PostgreSQL', function () {
  let database: ScratchDatabase;
  let server: TestServer;

  before(async function () {
    database = await scratchDatabaseOrSkip(this);
    server = await startTestServer({ DATABASE_URL: database.url, METRICS_TOKEN });
  });
  after(async () => {
    await server?.close();
    await database?.drop();
  });

  it('reports the connections in use and the queries waiting for one', async () => {
    const client = new ApiClient(server.url);
    expect((await client.request('POST', '/api/v1/auth/register', { json: newAccount() })).status).to.equal(201);
    // The registration's mail is sent in the background, on a connection of the same pool: wait until it is.
    await eventually('the verification mail to be sent', async () => sample((await scrape(client)).text, 'mail_sent_total', { outcome: 'sent' }) === 1);
    const { text } = await scrape(client);
    // Between requests every connection is back in the pool.
    expect(sample(text, 'db_pool_connections_in_use')).to.equal(0);
    expect(sample(text, 'db_pool_waiting_requests')).to.equal(0);
  });
});
