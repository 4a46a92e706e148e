import { expect } from 'chai';
import pg from 'pg';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { createScratchDatabase, scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { POSTGRES_URL, skipOrFail } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createPrivatePostgres, until, type PrivatePostgres } from '../support/throwaway-services.js';
import { TEST_SECRET } from './http-api.suite.js';

/** DATABASE_TIMEOUT_MS (5 s by default) bounds a request's database work; it must never wait longer than that and a little. */
const BOUND_MS = 6_000;
const RECOVERY_MS = 15_000;

function expectUnavailable(exchange: Exchange): void {
  expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.text}`).to.equal(503);
  expect(exchange.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(exchange.headers.get('retry-after')).to.equal('1');
  expect(exchange.text).not.to.match(/ECONNREFUSED|57P01|terminat|\.ts:\d|\.js:\d|stack/i);
}

async function timed(request: () => Promise<Exchange>): Promise<Exchange> {
  const started = Date.now();
  const exchange = await request();
  expect(Date.now() - started, `${exchange.method} ${exchange.path} answered in bounded time`).to.be.below(BOUND_MS);
  return exchange;
}

async function logIn(client: ApiClient, account: { username: string; password: string }): Promise<Exchange> {
  return client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
}

describe('HTTP API while its PostgreSQL stops and starts again', function () {
  this.timeout(90_000);
  let cluster: PrivatePostgres | undefined;
  let server: TestServer;

  before(async function () {
    try {
      cluster = await createPrivatePostgres();
    } catch (error) {
      skipOrFail(this, 'A private PostgreSQL cluster (initdb + pg_ctl)', error);
    }
    server = await startTestServer({ DATABASE_URL: cluster!.url, SECRET_KEY: TEST_SECRET });
  });

  after(async () => {
    await server?.close();
    await cluster?.destroy();
  });

  for (const mode of ['fast', 'immediate'] as const) {
    it(`answers 503 while it is stopped (${mode}) and recovers by itself when it is back`, async () => {
      const client = new ApiClient(server.url);
      const account = newAccount();
      expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
      const login = await logIn(client, account);
      expect(login.status, login.text).to.equal(200);
      const token = (login.body as { access_token: string }).access_token;
      expect((await client.request('GET', '/api/v1/users/me', { token })).status).to.equal(200);

      await cluster!.stop(mode);

      expectUnavailable(await timed(() => client.request('POST', '/api/v1/auth/register', { json: newAccount() })));
      expectUnavailable(await timed(() => logIn(client, account)));
      expectUnavailable(await timed(() => client.request('GET', '/api/v1/users/me', { token })));
      expectUnavailable(await timed(() => client.request('PUT', '/api/v1/users/me', { token, json: { username: newAccount().username } })));
      const ready = await timed(() => client.request('GET', '/health/ready'));
      expect(ready.status).to.equal(503);
      expect(ready.body).to.deep.include({ checks: { database: 'unavailable', rate_limiter: 'ok' } });
      expect((await client.request('GET', '/health/live')).status).to.equal(200);

      await cluster!.start();

      // The same process, not restarted: the pool opens new connections once the database answers.
      await until('log-in succeeds again', async () => {
        const attempt = await logIn(client, account);
        if (attempt.status !== 200) expectUnavailable(attempt);
        return attempt.status === 200;
      }, RECOVERY_MS);
      expect((await client.request('GET', '/health/ready')).status).to.equal(200);
      expect((await client.request('GET', '/api/v1/users/me', { token })).status).to.equal(200);
      expect((await client.request('POST', '/api/v1/auth/register', { json: newAccount() })).status).to.equal(201);
      expect(server.logLines.filter((line) => line.status === 500 || line.level === 50), 'no 500 and no error logged').to.deep.equal([]);
    });
  }
});

describe('HTTP API when its idle database connections are cut', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;
  let server: TestServer;
  let admin: pg.Client | undefined;

  before(async function () {
    try {
      scratch = await createScratchDatabase();
      admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
      await admin.connect();
    } catch (error) {
      skipOrFail(this, 'PostgreSQL', error);
    }
    server = await startTestServer({ DATABASE_URL: scratch!.url, SECRET_KEY: TEST_SECRET, DATABASE_POOL_MAX: '4' });
  });

  after(async () => {
    await server?.close();
    await admin?.end();
    await scratch?.drop();
  });

  /** Ends every backend of the scratch database, as an operator's `pg_terminate_backend` or a failover would. */
  async function terminateConnections(): Promise<number> {
    const database = new URL(scratch!.url).pathname.slice(1);
    const result = await admin!.query<{ ended: boolean }>(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    return result.rows.filter((row) => row.ended).length;
  }

  it('answers the next requests with success or 503, never a 500, and recovers', async () => {
    const client = new ApiClient(server.url);
    const account = newAccount();
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    const token = ((await logIn(client, account)).body as { access_token: string }).access_token;
    const me = () => client.request('GET', '/api/v1/users/me', { token });

    for (let round = 0; round < 3; round += 1) {
      // Fill the pool, so that every connection it holds is idle when it is cut.
      expect((await Promise.all(Array.from({ length: 8 }, me))).map((e) => e.status)).to.deep.equal(Array(8).fill(200));
      expect(await terminateConnections()).to.be.at.least(1);

      // At once, before the pool may have heard of the loss.
      const rightAfter = await Promise.all(Array.from({ length: 8 }, () => timed(me)));
      for (const exchange of rightAfter) {
        if (exchange.status !== 200) expectUnavailable(exchange);
      }
      await until('GET /users/me succeeds again', async () => (await me()).status === 200, RECOVERY_MS);
    }
    expect((await Promise.all(Array.from({ length: 8 }, me))).map((e) => e.status)).to.deep.equal(Array(8).fill(200));
    expect((await client.request('GET', '/health/ready')).status).to.equal(200);
    expect(server.logLines.filter((line) => line.status === 500 || line.level === 50), 'no 500 and no error logged').to.deep.equal([]);
  });
});

describe('HTTP API while a table it needs is locked', function () {
  this.timeout(60_000);
  /** Short, so that a bound on hanging is quick to check; far below the 5 s statement timeout left as it is. */
  const DEADLINE_MS = 400;
  /** Not a performance target: room for bcrypt and a loaded machine, and still well short of any other bound. */
  const LOCKED_BOUND_MS = 5 * DEADLINE_MS;
  let scratch: ScratchDatabase | undefined;
  let server: TestServer;
  let locker: pg.Client | undefined;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    server = await startTestServer({ DATABASE_URL: scratch.url, SECRET_KEY: TEST_SECRET, DATABASE_TIMEOUT_MS: String(DEADLINE_MS) });
  });

  beforeEach(async () => {
    locker = new pg.Client({ connectionString: scratch!.url });
    await locker.connect();
  });

  afterEach(async () => {
    await locker?.end();
  });

  after(async () => {
    await server?.close();
    await scratch?.drop();
  });

  /** Another transaction's ACCESS EXCLUSIVE lock, as a migration or a VACUUM FULL would hold, until `release`. */
  async function lock(table: 'users' | 'sessions'): Promise<{ release(): Promise<void> }> {
    await locker!.query('begin');
    await locker!.query(`lock table ${table} in access exclusive mode`);
    return { release: async () => void (await locker!.query('rollback')) };
  }

  async function within(bound: number, request: () => Promise<Exchange>): Promise<Exchange> {
    const started = performance.now();
    const exchange = await request();
    expect(performance.now() - started, `${exchange.method} ${exchange.path} answered within ${bound} ms`).to.be.below(bound);
    return exchange;
  }

  it('answers 503 within its database deadline, then serves again once the lock is gone', async () => {
    const client = new ApiClient(server.url);
    const account = newAccount();
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    const token = ((await logIn(client, account)).body as { access_token: string }).access_token;
    const me = () => client.request('GET', '/api/v1/users/me', { token });

    const users = await lock('users');
    try {
      expectUnavailable(await within(LOCKED_BOUND_MS, me));
    } finally {
      await users.release();
    }
    expect((await me()).status).to.equal(200);

    // Log-in reads the user, spends a bcrypt hash, then writes the session: the write waits out the budget alone.
    const sessions = await lock('sessions');
    try {
      expectUnavailable(await within(LOCKED_BOUND_MS, () => logIn(client, account)));
    } finally {
      await sessions.release();
    }
    expect((await logIn(client, account)).status).to.equal(200);
    expect(server.logLines.filter((line) => line.status === 500 || line.level === 50), 'no 500 and no error logged').to.deep.equal([]);
  });
});
