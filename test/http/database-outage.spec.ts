import { expect } from 'chai';
import { ApiClient, newAccount } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('HTTP API with its database unreachable', function () {
  let server: TestServer;

  before(async () => {
    // Nothing listens on port 1; migrations are off so the service starts as it would after losing its database.
    // The longest deadline there is: a 503 can then only come from the refused connection, never from waiting it out.
    server = await startTestServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', MIGRATE_ON_START: 'false', DATABASE_TIMEOUT_MS: '600000' });
  });
  after(async () => server?.close());

  it('answers requests that need it with a prompt 503 problem and Retry-After, never a 500', async () => {
    const client = new ApiClient(server.url);
    const responses = [
      await client.request('POST', '/api/v1/auth/register', { json: newAccount() }),
      await client.request('POST', '/api/v1/auth/login', { form: { username: 'someone', password: 'whatever-it-is' } }),
    ];
    for (const response of responses) {
      expect(response.status, response.text).to.equal(503);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).to.equal('1');
      expect(response.text).not.to.match(/ECONNREFUSED|at .*\.ts|stack/);
    }
  });

  it('says in readiness that the database is what failed', async () => {
    const response = await new ApiClient(server.url).request('GET', '/health/ready');
    expect(response.status).to.equal(503);
    expect(response.body).to.deep.include({ checks: { database: 'unavailable', rate_limiter: 'ok' } });
    expect((await new ApiClient(server.url).request('GET', '/health/live')).status).to.equal(200);
  });
});
