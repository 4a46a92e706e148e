import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { URI, type TOTP } from 'otpauth';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
// Importing the suite also checks every response here against the OpenAPI document.
import { TEST_SECRET } from './http-api.suite.js';

function expectStatus(exchange: Exchange, status: number): void {
  expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.text}`).to.equal(status);
}

describe('GET /users/me/export', function () {
  this.timeout(30_000);
  let server: TestServer;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
  });

  after(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('holds every section of a superuser with two-factor log-in and a webhook, and none of the secrets the test made', async () => {
    const tag = randomBytes(4).toString('hex');
    const root = { email: `root-${tag}@example.com`, username: `root_${tag}`, password: 'the operators own long secret' };
    server = await startTestServer({
      SECRET_KEY: TEST_SECRET,
      FIRST_SUPERUSER_EMAIL: root.email,
      FIRST_SUPERUSER_USERNAME: root.username,
      FIRST_SUPERUSER_PASSWORD: root.password,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    const client = new ApiClient(server.url);
    const login = await client.request('POST', '/api/v1/auth/login', { form: { username: root.username, password: root.password } });
    expectStatus(login, 200);
    const { access_token: token, refresh_token: refreshToken } = login.body as { access_token: string; refresh_token: string };

    const hook = await client.request('POST', '/api/v1/webhooks', { token, json: { url: receiver.url, events: ['*'] } });
    expectStatus(hook, 201);
    const webhookSecret = (hook.body as { secret: string }).secret;
    const enrol = await client.request('POST', '/api/v1/users/me/mfa/totp', { token, json: { current_password: root.password } });
    expectStatus(enrol, 200);
    const { secret: totpSecret, otpauth_uri } = enrol.body as { secret: string; otpauth_uri: string };
    const app = URI.parse(otpauth_uri) as TOTP;
    const confirm = await client.request('POST', '/api/v1/users/me/mfa/totp/confirm', { token, json: { code: app.generate() } });
    expectStatus(confirm, 200);
    const recoveryCodes = (confirm.body as { recovery_codes: string[] }).recovery_codes;


    // A second account with its own password, so the export is checked against what is not the user's too.
    const other = newAccount();
    expectStatus(await client.request('POST', '/api/v1/auth/register', { json: other }), 201);

    // With two-factor log-in on, only a session that used the second factor is fresh enough to export.
    // Plain fetch: the document's 401 shows the bearer challenge only until step-up documents RFC 9470's.
    const stale = await fetch(`${server.url}/api/v1/users/me/export`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client.ip } });
    expect(stale.status).to.equal(401);
    expect(stale.headers.get('www-authenticate')).to.include('insufficient_user_authentication');
    const first = await client.request('POST', '/api/v1/auth/login', { form: { username: root.username, password: root.password } });
    expectStatus(first, 403);
    const second = await client.request('POST', '/api/v1/auth/login/mfa', { form: { mfa_token: (first.body as { mfa_token: string }).mfa_token, code: app.generate({ timestamp: Date.now() + 30_000 }) } });
    expectStatus(second, 200);
    const fresh = (second.body as { access_token: string; refresh_token: string });

    const exported = await client.request('GET', '/api/v1/users/me/export', { token: fresh.access_token });
    expectStatus(exported, 200);
    expect(exported.headers.get('content-disposition')).to.match(/^attachment; filename="account-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(exported.headers.get('cache-control')).to.equal('no-store');
    const document = exported.body as Record<string, unknown>;
    expect(document).to.include.keys('exported_at', 'user_id', 'profile', 'sessions', 'security_history', 'two_factor', 'passkeys');
    expect(document.profile).to.deep.include({ email: root.email, username: root.username, is_superuser: true, mfa_enabled: true });
    expect(document.sessions).to.have.length.at.least(1);
    expect((document.security_history as { type: string }[]).map((e) => e.type)).to.include.members(['login.succeeded', 'mfa.enabled']);
    expect(document.two_factor).to.deep.include({ enabled: true });
    expect((document.two_factor as { totp: { recovery_codes_left: number } }).totp.recovery_codes_left).to.equal(10);

    const text = exported.text;
    const secrets = [root.password, other.password, token, refreshToken, fresh.access_token, fresh.refresh_token, totpSecret, webhookSecret, webhookSecret.slice(6), ...recoveryCodes];
    for (const secret of secrets) expect(text, 'a secret in the export').not.to.include(secret);
    expect(text).not.to.match(/\$2[aby]\$/);

    const events = await client.request('GET', '/api/v1/users/me/events', { token: fresh.access_token });
    expect((events.body as { items: { type: string }[] }).items.map((e) => e.type)).to.include('user.exported');
  });
});
