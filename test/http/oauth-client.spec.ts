import { expect } from 'chai';
import { ResourceOwnerPassword } from 'simple-oauth2';
import { ApiClient, newAccount } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** What a failed request of simple-oauth2 carries: a Boom error with the parsed body as its payload. */
function payloadOf(error: unknown): Record<string, unknown> {
  return (error as { data?: { payload?: Record<string, unknown> } }).data?.payload ?? {};
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the OAuth client to raise');
}

/**
 * A real OAuth 2.0 client library, driving log-in (RFC 6749 §4.3) and refresh (§6) as an application would. A
 * failure must raise with the §5.2 `error` member, or a client takes the problem body for a token.
 */
describe('OAuth client library (simple-oauth2)', function () {
  this.timeout(20_000);
  let server: TestServer;
  let account: ReturnType<typeof newAccount>;

  before(async () => {
    server = await startTestServer();
    account = newAccount();
    const registered = await new ApiClient(server.url).request('POST', '/api/v1/auth/register', { json: account });
    expect(registered.status, registered.text).to.equal(201);
  });
  after(() => server?.close());

  const client = (tokenPath: string) =>
    new ResourceOwnerPassword({
      client: { id: 'spec-client', secret: 'unused' },
      auth: { tokenHost: server.url, tokenPath },
      // Public clients send the id in the body; the service takes no client authentication.
      options: { authorizationMethod: 'body' },
    });

  it('logs in and refreshes with the password and refresh grants', async () => {
    const token = await client('/api/v1/auth/login').getToken({ username: account.username, password: account.password });
    expect(token.token.token_type).to.equal('bearer');
    const refreshed = await client('/api/v1/auth/refresh').createToken(token.token).refresh();
    expect(refreshed.token.access_token).to.be.a('string').and.not.equal(token.token.access_token);
  });

  it('raises on a wrong password with invalid_grant and a description', async () => {
    const error = await rejection(client('/api/v1/auth/login').getToken({ username: account.username, password: 'not-the-password' }));
    expect(payloadOf(error)).to.include({ error: 'invalid_grant' });
    expect(payloadOf(error).error_description).to.be.a('string');
  });

  it('raises on an unknown refresh token with invalid_grant and a description', async () => {
    const token = await client('/api/v1/auth/login').getToken({ username: account.username, password: account.password });
    const forged = { ...token.token, refresh_token: 'x'.repeat(43) };
    const error = await rejection(client('/api/v1/auth/refresh').createToken(forged).refresh());
    expect(payloadOf(error)).to.include({ error: 'invalid_grant' });
    expect(payloadOf(error).error_description).to.be.a('string');
  });
});
