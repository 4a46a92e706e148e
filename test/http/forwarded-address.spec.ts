import { expect } from 'chai';
import { TOKENS } from '../../bootstrap/tokens.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_SECRET } from './http-api.suite.js';

// With TRUST_PROXY the client address is whatever the last X-Forwarded-For hop says; the store bounds it at 64
// characters (no real address is longer), so the service must bound it before writing, never answer 500.
describe('a forwarded address longer than any real one', function () {
  let scratch: ScratchDatabase | undefined;
  let server: TestServer;
  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    server = await startTestServer({ DATABASE_URL: scratch.url, SECRET_KEY: TEST_SECRET, TRUST_PROXY: 'true' });
  });
  after(async () => {
    await server?.close();
    await scratch?.drop();
  });

  it('neither breaks a failed nor a good log-in, and is kept cut to 64 characters', async () => {
    const client = new ApiClient(server.url);
    const account = newAccount();
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    const headers = { 'X-Forwarded-For': 'f'.repeat(200) };

    const failed = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'not the password' }, headers });
    expect(failed.status, failed.text).to.equal(401);
    const good = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password }, headers });
    expect(good.status, good.text).to.equal(200);

    const events = await (await server.container.getAsync(TOKENS.AuditLog)).list({ type: 'login.failed' }, { limit: 1 });
    expect(events[0]?.ip).to.equal('f'.repeat(64));
  });
});
