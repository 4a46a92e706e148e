import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '../support/eventually.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { TEST_SECRET } from './http-api.suite.js';

/** Webhooks from the durable queue in PostgreSQL: a restart loses nothing, two instances share the work. */
describe('Webhooks on PostgreSQL, across restarts and instances', function () {
  this.timeout(90_000);
  let scratch: ScratchDatabase | undefined;
  let receiver: WebhookReceiver;
  const servers: TestServer[] = [];
  const tag = randomBytes(4).toString('hex');
  const root = { email: `root-${tag}@example.com`, username: `root_${tag}`, password: 'the operators own long secret' };

  async function start(): Promise<TestServer> {
    const server = await startTestServer({
      DATABASE_URL: scratch!.url,
      SECRET_KEY: TEST_SECRET,
      // Both instances must open each other's sealed secrets.
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      FIRST_SUPERUSER_EMAIL: root.email,
      FIRST_SUPERUSER_USERNAME: root.username,
      FIRST_SUPERUSER_PASSWORD: root.password,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_DELAYS: '1,1,1,1,1,1',
    });
    servers.push(server);
    return server;
  }

  async function createEndpoint(server: TestServer): Promise<void> {
    const client = new ApiClient(server.url);
    const login = await client.request('POST', '/api/v1/auth/login', { form: { username: root.username, password: root.password } });
    const token = (login.body as { access_token: string }).access_token;
    const created = await client.request('POST', '/api/v1/webhooks', { token, json: { url: receiver.url, events: ['user.registered'] } });
    expect(created.status, created.text).to.equal(201);
    receiver.secret = (created.body as { secret: string }).secret;
  }

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  after(async () => {
    await receiver?.close();
    await scratch?.drop();
  });

  it('delivers an event that was waiting when its instance stopped, after a restart', async () => {
    const first = await start();
    await createEndpoint(first);
    receiver.respond = () => ({ status: 503 });
    const registered = await new ApiClient(first.url).request('POST', '/api/v1/auth/register', { json: newAccount() });
    expect(registered.status).to.equal(201);
    const userId = (registered.body as { id: string }).id;
    await eventually('a refused attempt', async () => receiver.received.some((r) => r.verified?.data.user_id === userId));
    await first.close();
    servers.splice(0);

    receiver.respond = () => ({ status: 200 });
    await start();
    const [ack] = await eventually('the delivery after the restart', async () => {
      const acked = receiver.ofType('user.registered').filter((r) => r.verified?.data.user_id === userId);
      return acked.length > 0 ? acked : undefined;
    }, 20_000);
    expect(ack!.verifyError).to.equal(undefined);
  });

  it('delivers each event once with two instances sharing the queue', async () => {
    receiver.respond = () => ({ status: 204 });
    const a = await start();
    const b = await start();
    const before = receiver.received.length;
    const clients = [new ApiClient(a.url), new ApiClient(b.url)];
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const registered = await clients[i % 2]!.request('POST', '/api/v1/auth/register', { json: newAccount() });
      expect(registered.status).to.equal(201);
      ids.push((registered.body as { id: string }).id);
    }
    await eventually('every registration delivered', async () => ids.every((id) => receiver.ofType('user.registered').some((r) => r.verified?.data.user_id === id)), 20_000);
    const fresh = receiver.received.slice(before).filter((r) => ids.includes(String(r.verified?.data.user_id)));
    expect(fresh.map((r) => r.id)).to.have.length(12);
    expect(new Set(fresh.map((r) => r.id)).size).to.equal(12);
    expect(fresh.every((r) => r.verifyError === undefined)).to.equal(true);
  });
});
