import { expect } from 'chai';
import { ApiClient, newAccount } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
// Registers the check that every response matches the OpenAPI document, here as in the main HTTP suite.
import { TEST_SECRET } from './http-api.suite.js';

// The grace itself, racing requests and the replays around it are in the main HTTP suite; this one checks that
// the variable reaches the service. Time past the grace is covered with an injected clock in the use-case tests.
describe('REFRESH_REUSE_GRACE_SECONDS=0', () => {
  let server: TestServer;
  let client: ApiClient;

  before(async () => {
    server = await startTestServer({ SECRET_KEY: TEST_SECRET, REFRESH_REUSE_GRACE_SECONDS: '0' });
    client = new ApiClient(server.url);
  });
  after(async () => server?.close());

  it('ends the session at the second use of a refresh token, however soon', async () => {
    const account = newAccount();
    await client.request('POST', '/api/v1/auth/register', { json: account });
    const login = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    const refresh = (token: string) => client.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: token } });
    const first = await refresh((login.body as { refresh_token: string }).refresh_token);
    expect(first.status).to.equal(200);
    const replay = await refresh((login.body as { refresh_token: string }).refresh_token);
    expect(replay.status).to.equal(400);
    expect((replay.body as { error: string }).error).to.equal('invalid_grant');
    expect((await refresh((first.body as { refresh_token: string }).refresh_token)).status).to.equal(400);
  });
});
