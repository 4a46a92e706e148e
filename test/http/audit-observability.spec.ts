import { expect } from 'chai';
import { TOKENS } from '../../bootstrap/tokens.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { fresh } from '../support/requester.js';

describe('audit events in the metrics and the service log', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => server.close());

  it('counts every event by type, and logs each admin.* event with its actor, never a plain user\'s events', async () => {
    const account = newAccount();
    const client = new ApiClient(server.url);
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    expect((await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'not the password' } })).status).to.equal(401);

    const promoted = await (await server.container.getAsync(TOKENS.SetSuperuser)).execute(account.email, true);
    const updateUser = await server.container.getAsync(TOKENS.UpdateUser);
    await updateUser.execute(fresh(promoted), promoted.id, { username: `${account.username}_x` }, { ip: '192.0.2.7' });

    const { body } = await (await server.container.getAsync(TOKENS.Metrics)).exposition();
    expect(body).to.include('audit_events_total{type="user.registered"} 1');
    expect(body).to.include('audit_events_total{type="login.failed"} 1');
    expect(body).to.include('audit_events_total{type="admin.user_updated"} 2');

    const audited = server.logLines.filter((line) => line.audit !== undefined) as { level: number; audit: Record<string, unknown> }[];
    expect(audited.map((line) => [line.audit.type, line.audit.actorId])).to.deep.equal([
      ['admin.user_updated', null],
      ['admin.user_updated', promoted.id],
    ]);
    expect(audited[1]).to.deep.include({ level: 30 });
    expect(audited[1]!.audit).to.deep.include({ userId: promoted.id, ip: '192.0.2.7' });
    expect(server.rawLog.join('\n')).not.to.include(account.password);
  });
});
