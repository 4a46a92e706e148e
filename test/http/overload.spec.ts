import { expect } from 'chai';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { assertResponseMatchesDocument } from '../support/openapi-response-validator.js';
import { METRICS_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';

interface Timed {
  readonly response: Exchange;
  /** Milliseconds since the flood started. */
  readonly at: number;
}

const FLOOD = 24;

describe('HTTP API under a flood of log-ins', function () {
  // Cost 12 (about 200 ms a hash here) so an accepted log-in is slow next to a refusal; one at a time, one queued.
  this.timeout(60_000);
  let server: TestServer;
  let account: ReturnType<typeof newAccount>;
  let token: string;

  beforeEach(async () => {
    server = await startTestServer({ BCRYPT_COST: '12', HASH_CONCURRENCY: '1', HASH_QUEUE_MAX: '1', METRICS_TOKEN });
    account = newAccount();
    const client = new ApiClient(server.url);
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    const login = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    token = (login.body as { access_token: string }).access_token;
  });
  afterEach(async () => server?.close());

  async function flood(form: (i: number) => Record<string, string>): Promise<{ logIns: Timed[]; reads: Timed[] }> {
    const started = Date.now();
    const timed = async (request: Promise<Exchange>): Promise<Timed> => {
      const response = await request;
      return { response, at: Date.now() - started };
    };
    const logIns = Array.from({ length: FLOOD }, (_, i) =>
      timed(new ApiClient(server.url).request('POST', '/api/v1/auth/login', { form: form(i) })),
    );
    // Reads sent while the log-ins are queued or refused; they need no bcrypt and must not wait behind it.
    const reader = new ApiClient(server.url);
    const reads: Timed[] = [];
    for (let i = 0; i < 5; i++) reads.push(await timed(reader.request('GET', '/api/v1/users/me', { token })));
    return { logIns: await Promise.all(logIns), reads };
  }

  it('refuses log-ins beyond the hash queue at once with 503 and Retry-After, and answers the rest', async () => {
    const { logIns } = await flood(() => ({ username: account.username, password: account.password }));
    const accepted = logIns.filter((t) => t.response.status === 200);
    const refused = logIns.filter((t) => t.response.status === 503);
    expect(accepted.length + refused.length, logIns.map((t) => t.response.status).join(',')).to.equal(FLOOD);
    expect(accepted.length).to.be.at.least(1);
    expect(refused.length).to.be.at.least(FLOOD - 4);
    for (const { response } of refused) {
      assertResponseMatchesDocument(response);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).to.equal('1');
    }
    // "At once": every refusal was answered before the first accepted log-in had finished its hash.
    const firstAccepted = Math.min(...accepted.map((t) => t.at));
    expect(Math.max(...refused.map((t) => t.at))).to.be.below(firstAccepted);
  });

  it('keeps answering GET /users/me while the log-ins are queued', async () => {
    const { logIns, reads } = await flood(() => ({ username: account.username, password: account.password }));
    for (const { response } of reads) expect(response.status, response.text).to.equal(200);
    const lastAccepted = Math.max(...logIns.filter((t) => t.response.status === 200).map((t) => t.at));
    // Five reads one after the other, all answered while the hasher was still busy with the flood.
    expect(reads.at(-1)!.at).to.be.below(lastAccepted);
  });

  it('goes back to answering log-ins, known and unknown accounts alike, once the flood is over', async () => {
    // Unknown accounts verify against a dummy hash made on first use. Here the first use comes while the hasher
    // is saturated and is refused: that refusal must not be remembered for every later unknown account.
    const { logIns } = await flood((i) =>
      i === FLOOD - 1 ? { username: 'nobody_yet', password: 'whatever-it-is' } : { username: account.username, password: account.password },
    );
    expect(logIns.at(-1)!.response.status).to.equal(503);
    const client = new ApiClient(server.url);
    const unknown = await client.request('POST', '/api/v1/auth/login', { form: { username: 'nobody_at_all', password: 'whatever-it-is' } });
    expect(unknown.status, unknown.text).to.equal(401);
    const known = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(known.status, known.text).to.equal(200);
    const metrics = await client.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(metrics.text).to.match(/^password_hash_queue_depth 0$/m);
    expect(metrics.text).to.match(/^auth_logins_total\{outcome="unavailable"\} [1-9]/m);
  });
});
