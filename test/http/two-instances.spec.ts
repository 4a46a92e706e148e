import { expect } from 'chai';
import { ApiClient, newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { REDIS_URL, requireRedis } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_SECRET } from './http-api.suite.js';
import { forwardedAddress, rawRequest, withinOneWindow } from './raw-request.js';

const BUDGET = 60;

describe('two instances sharing PostgreSQL and Redis', function () {
  let scratch: ScratchDatabase | undefined;
  let a: TestServer;
  let b: TestServer;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    await requireRedis(this);
    const env = { DATABASE_URL: scratch!.url, REDIS_URL, SECRET_KEY: TEST_SECRET, RATE_LIMIT_PER_MINUTE: String(BUDGET) };
    // One after the other: the second finds the migrations already applied, as a rolling deployment would.
    a = await startTestServer(env);
    b = await startTestServer(env);
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await scratch?.drop();
  });

  it(`allow exactly ${BUDGET} of ${BUDGET + 1} concurrent requests from one client spread over both`, async () => {
    const exchanges = await withinOneWindow(async () => {
      const client = forwardedAddress();
      const sent = await Promise.all(
        Array.from({ length: BUDGET + 1 }, (_, i) => rawRequest((i % 2 === 0 ? a : b).url, 'GET', '/api/v1/users/me', { forwardedFor: client })),
      );
      return { exchanges: sent, result: sent };
    });
    const statuses = exchanges.map((e) => e.status);
    expect(statuses.filter((s) => s === 429), statuses.join(' ')).to.have.lengthOf(1);
    expect(statuses.filter((s) => s === 401)).to.have.lengthOf(BUDGET);
    const remainders = exchanges.filter((e) => e.status === 401).map((e) => Number(e.headers.get('ratelimit-remaining')));
    expect([...remainders].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: BUDGET }, (_, i) => i));
  });

  it('let a user registered on one log in on the other, with a token either accepts', async () => {
    const account = newAccount();
    const onA = new ApiClient(a.url);
    const onB = new ApiClient(b.url);
    expect((await onA.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);

    const login = await onB.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(login.status, login.text).to.equal(200);
    const fromA = await onA.request('POST', '/api/v1/auth/login', { form: { username: account.email, password: account.password } });
    const tokenFromA = (fromA.body as { access_token: string }).access_token;

    const me = await onB.request('GET', '/api/v1/users/me', { token: tokenFromA });
    expect(me.status, me.text).to.equal(200);
    expect(me.body).to.include({ username: account.username });
  });

  it('refuse on one instance the tokens a password change on the other revoked', async () => {
    const account = newAccount();
    const onA = new ApiClient(a.url);
    const onB = new ApiClient(b.url);
    await onA.request('POST', '/api/v1/auth/register', { json: account });
    const logIn = async (client: ApiClient, password: string) =>
      ((await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password } })).body as { access_token: string })
        .access_token;
    const tokenFromA = await logIn(onA, account.password);
    const tokenFromB = await logIn(onB, account.password);
    expect((await onB.request('GET', '/api/v1/users/me', { token: tokenFromA })).status).to.equal(200);

    const newPassword = 'Another-fine-passphrase-2';
    const change = await onA.request('PUT', '/api/v1/users/me', { token: tokenFromA, json: { password: newPassword, current_password: account.password } });
    expect(change.status, change.text).to.equal(200);

    for (const token of [tokenFromA, tokenFromB]) {
      const refused = await onB.request('GET', '/api/v1/users/me', { token });
      expect(refused.status).to.equal(401);
      expect(refused.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
    }
    expect((await onB.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } })).status).to.equal(401);
    const fresh = await logIn(onB, newPassword);
    expect((await onA.request('GET', '/api/v1/users/me', { token: fresh })).status).to.equal(200);
  });

  it('answer a refresh racing on both with one token alike: the same successor, the session alive', async () => {
    const account = newAccount();
    const onA = new ApiClient(a.url);
    const onB = new ApiClient(b.url);
    await onA.request('POST', '/api/v1/auth/register', { json: account });
    const login = await onA.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    const { refresh_token: refresh } = login.body as { refresh_token: string };
    const form = { grant_type: 'refresh_token', refresh_token: refresh };
    const [fromA, fromB] = await Promise.all([onA.request('POST', '/api/v1/auth/refresh', { form }), onB.request('POST', '/api/v1/auth/refresh', { form })]);
    expect([fromA.status, fromB.status], `${fromA.text} ${fromB.text}`).to.deep.equal([200, 200]);
    const successor = (fromA.body as { refresh_token: string }).refresh_token;
    expect((fromB.body as { refresh_token: string }).refresh_token).to.equal(successor);
    expect((await onB.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: successor } })).status).to.equal(200);
  });

  it('refuse on one instance, at once, the tokens of a session logged out on the other', async () => {
    const account = newAccount();
    const onA = new ApiClient(a.url);
    const onB = new ApiClient(b.url);
    await onA.request('POST', '/api/v1/auth/register', { json: account });
    const login = await onA.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    const { access_token: access, refresh_token: refresh } = login.body as { access_token: string; refresh_token: string };
    expect((await onB.request('GET', '/api/v1/users/me', { token: access })).status).to.equal(200);

    expect((await onB.request('POST', '/api/v1/auth/logout', { token: access })).status).to.equal(204);
    const refused = await onA.request('GET', '/api/v1/users/me', { token: access });
    expect(refused.status).to.equal(401);
    expect((await onA.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: refresh } })).status).to.equal(400);
  });
});
