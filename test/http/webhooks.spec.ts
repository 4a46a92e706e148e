import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../support/eventually.js';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
// Importing the suite also checks every response here against the OpenAPI document.
import { TEST_SECRET } from './http-api.suite.js';

interface WebhookBody {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
}

interface DeliveryBody {
  id: string;
  type: string;
  status: string;
  attempts: number;
  last_response_code: number | null;
  last_error: string | null;
}

function expectStatus(exchange: Exchange, status: number): void {
  expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.text}`).to.equal(status);
}

function superuserEnv() {
  const tag = randomBytes(4).toString('hex');
  const root = { email: `root-${tag}@example.com`, username: `root_${tag}`, password: 'the operators own long secret' };
  const env = { SECRET_KEY: TEST_SECRET, FIRST_SUPERUSER_EMAIL: root.email, FIRST_SUPERUSER_USERNAME: root.username, FIRST_SUPERUSER_PASSWORD: root.password };
  return { root, env };
}

async function logIn(client: ApiClient, username: string, password: string): Promise<string> {
  const response = await client.request('POST', '/api/v1/auth/login', { form: { username, password } });
  expectStatus(response, 200);
  return (response.body as { access_token: string }).access_token;
}

describe('Webhooks over HTTP, to a real receiver verifying with standardwebhooks', function () {
  this.timeout(60_000);
  let server: TestServer;
  let client: ApiClient;
  let adminToken: string;
  const receivers: WebhookReceiver[] = [];

  async function receiver(): Promise<WebhookReceiver> {
    const started = await WebhookReceiver.start();
    receivers.push(started);
    return started;
  }

  async function register(url: string, events: string[]): Promise<WebhookBody> {
    const created = await client.request('POST', '/api/v1/webhooks', { token: adminToken, json: { url, events, description: 'test receiver' } });
    expectStatus(created, 201);
    return created.body as WebhookBody;
  }

  async function deliveries(id: string): Promise<DeliveryBody[]> {
    const page = await client.request('GET', `/api/v1/webhooks/${id}/deliveries`, { token: adminToken });
    expectStatus(page, 200);
    return (page.body as { items: DeliveryBody[] }).items;
  }

  before(async function () {
    const { root, env } = superuserEnv();
    // Loopback receivers: the SSRF rule is lifted here, and tested without this below.
    server = await startTestServer({ ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_DELAYS: '1,1,1,1' });
    client = new ApiClient(server.url);
    adminToken = await logIn(client, root.username, root.password);
  });

  after(async function () {
    await server?.close();
    for (const r of receivers) await r.close();
  });

  it('delivers the events of a registration, a log-in, a password change and a deletion, each signed and verified', async () => {
    const hooks = await receiver();
    const endpoint = await register(hooks.url, ['user.registered', 'login.succeeded', 'password.changed', 'user.deleted']);
    expect(endpoint.secret).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpoint.secret!.slice(6), 'base64')).to.have.length(32);
    hooks.secret = endpoint.secret;

    const account = newAccount();
    const registered = await client.request('POST', '/api/v1/auth/register', { json: account });
    expectStatus(registered, 201);
    const userId = (registered.body as { id: string }).id;
    const token = await logIn(client, account.username, account.password);
    const newPassword = `${account.password} changed`;
    expectStatus(await client.request('PUT', '/api/v1/users/me', { token, json: { password: newPassword, current_password: account.password } }), 200);
    const again = await logIn(client, account.username, newPassword);
    expectStatus(await client.request('DELETE', '/api/v1/users/me', { token: again }), 204);

    await eventually('the four kinds of event', async () =>
      ['user.registered', 'login.succeeded', 'password.changed', 'user.deleted'].every((type) => hooks.ofType(type).some((r) => r.verified?.data.user_id === userId)),
    );
    for (const delivery of hooks.received) {
      expect(delivery.verifyError, delivery.body).to.equal(undefined);
      expect(delivery.headers['webhook-signature']).to.match(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(delivery.verified).to.have.keys('type', 'timestamp', 'data');
      // Ids and metadata only.
      for (const secret of [account.password, newPassword, account.email, token, again]) expect(delivery.body).not.to.include(secret);
    }
    // Another endpoint's events are not this one's.
    expect(hooks.received.map((r) => r.verified?.type)).not.to.include('webhook.created');
  });

  it('retries a receiver that answers 503 three times, and each webhook-id is acknowledged once', async () => {
    const hooks = await receiver();
    hooks.respond = ({ attempt }) => ({ status: attempt <= 3 ? 503 : 200 });
    const endpoint = await register(hooks.url, ['user.registered']);
    hooks.secret = endpoint.secret;

    const registered = await client.request('POST', '/api/v1/auth/register', { json: newAccount() });
    expectStatus(registered, 201);

    const [ack] = await eventually('the fourth attempt to be acknowledged', async () => (hooks.acknowledged().length === 1 ? hooks.acknowledged() : undefined), 20_000);
    expect(ack!.verified?.data.user_id).to.equal((registered.body as { id: string }).id);
    const attempts = hooks.received.filter((r) => r.id === ack!.id);
    expect(attempts.map((r) => r.status)).to.deep.equal([503, 503, 503, 200]);
    // Each attempt signed afresh: every one verifies, none reuses another's timestamp and signature.
    expect(attempts.every((r) => r.verifyError === undefined)).to.equal(true);
    expect(new Set(attempts.map((r) => `${String(r.headers['webhook-timestamp'])} ${String(r.headers['webhook-signature'])}`)).size).to.equal(4);
    const [delivery] = await eventually('the delivery to be marked', async () => {
      const listed = await deliveries(endpoint.id);
      return listed[0]?.status === 'delivered' ? listed : undefined;
    });
    expect(delivery).to.deep.include({ id: ack!.id, type: 'user.registered', attempts: 4, last_response_code: 200 });
    expect(new Set(hooks.acknowledged().map((r) => r.id)).size).to.equal(hooks.acknowledged().length);
  });

  it('does not follow a redirect: a 3xx is a failed attempt, the other address is never called', async () => {
    const elsewhere = await receiver();
    const hooks = await receiver();
    hooks.respond = () => ({ status: 302, headers: { location: elsewhere.url } });
    const endpoint = await register(hooks.url, ['user.registered']);

    const test = await client.request('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: adminToken });
    expectStatus(test, 202);

    const [delivery] = await eventually('the redirect to be recorded', async () => {
      const listed = await deliveries(endpoint.id);
      return listed[0]?.last_response_code === 302 ? listed : undefined;
    });
    expect(delivery).to.deep.include({ status: 'pending', last_error: 'answered 302' });
    expect(elsewhere.received).to.deep.equal([]);
  });

  it('signs with the old and the new secret for a day after a rotation', async () => {
    const hooks = await receiver();
    const endpoint = await register(hooks.url, ['user.registered']);
    const rotated = await client.request('POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`, { token: adminToken });
    expectStatus(rotated, 200);
    const newSecret = (rotated.body as WebhookBody).secret!;
    expect(newSecret).to.not.equal(endpoint.secret);
    hooks.secret = newSecret;

    expectStatus(await client.request('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: adminToken }), 202);

    const [delivery] = await eventually('the test event', async () => (hooks.ofType('webhook.test').length > 0 ? hooks.ofType('webhook.test') : undefined));
    expect(String(delivery!.headers['webhook-signature']).split(' ')).to.have.length(2);
    const headers = delivery!.headers as Record<string, string>;
    expect(() => new Webhook(endpoint.secret!).verify(delivery!.body, headers)).not.to.throw();
    expect(() => new Webhook(newSecret).verify(delivery!.body, headers)).not.to.throw();
  });

  it('never shows the secret again, and lets only superusers manage endpoints', async () => {
    const hooks = await receiver();
    const endpoint = await register(hooks.url, ['*']);
    const read = await client.request('GET', `/api/v1/webhooks/${endpoint.id}`, { token: adminToken });
    expectStatus(read, 200);
    expect(read.text).not.to.include(endpoint.secret!.slice(6));
    const listed = await client.request('GET', '/api/v1/webhooks', { token: adminToken });
    expect(listed.text).not.to.include(endpoint.secret!.slice(6));

    const account = newAccount();
    expectStatus(await client.request('POST', '/api/v1/auth/register', { json: account }), 201);
    const plain = await logIn(client, account.username, account.password);
    expectStatus(await client.request('POST', '/api/v1/webhooks', { token: plain, json: { url: hooks.url, events: ['*'] } }), 403);
    expectStatus(await client.request('GET', '/api/v1/webhooks', { token: plain }), 403);

    const changed = await client.request('PATCH', `/api/v1/webhooks/${endpoint.id}`, { token: adminToken, json: { enabled: false } });
    expectStatus(changed, 200);
    expect((changed.body as WebhookBody).enabled).to.equal(false);
    expectStatus(await client.request('DELETE', `/api/v1/webhooks/${endpoint.id}`, { token: adminToken }), 204);
    expectStatus(await client.request('GET', `/api/v1/webhooks/${endpoint.id}`, { token: adminToken }), 404);
    const events = await client.request('GET', '/api/v1/audit-events?type=webhook.deleted', { token: adminToken });
    expectStatus(events, 200);
    expect((events.body as { items: { details: Record<string, unknown> }[] }).items.map((e) => e.details.webhook_id)).to.include(endpoint.id);
  });
});

describe('Webhook targets that would reach into the service\'s own network', function () {
  this.timeout(30_000);
  let server: TestServer;
  let client: ApiClient;
  let adminToken: string;

  before(async function () {
    const { root, env } = superuserEnv();
    server = await startTestServer(env);
    client = new ApiClient(server.url);
    adminToken = await logIn(client, root.username, root.password);
  });

  after(async () => server?.close());

  for (const target of [
    'http://127.0.0.1/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'http://0.0.0.0/hook',
    'http://100.64.0.1/hook',
    'http://[fc00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::127.0.0.1]/hook',
    'http://224.0.0.1/hook',
    'http://localhost:8080/hook',
  ]) {
    it(`refuses ${target} with 422`, async () => {
      const refused = await client.request('POST', '/api/v1/webhooks', { token: adminToken, json: { url: target, events: ['*'] } });
      expectStatus(refused, 422);
      expect((refused.body as { errors?: { path: string }[] }).errors?.map((e) => e.path)).to.include('url');
    });
  }
});
