import { expect } from 'chai';
import { ApiClient, newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_SECRET } from './http-api.suite.js';

type ServerFactory = () => Promise<TestServer>;

const ROUNDS = 5;

/**
 * Two users asking for the same new email (or username) at the same instant: the check before the write cannot
 * see the other's write, so only the database's unique index decides, and its refusal must become a 409.
 */
function concurrentUpdateSuite(name: string, startServer: ServerFactory): void {
  describe(`concurrent PUT /users/me to the same new identity (${name})`, function () {
    let server: TestServer;
    let client: ApiClient;

    before(async () => {
      server = await startServer();
    });
    after(async () => server?.close());
    beforeEach(() => {
      client = new ApiClient(server.url);
    });

    async function registeredWithToken(): Promise<string> {
      const account = newAccount();
      expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
      const login = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
      return (login.body as { access_token: string }).access_token;
    }

    for (const field of ['email', 'username'] as const) {
      it(`gives exactly one 200 and one 409 for the same ${field}, never a 500`, async () => {
        for (let round = 0; round < ROUNDS; round++) {
          const [first, second] = await Promise.all([registeredWithToken(), registeredWithToken()]);
          const wanted = { [field]: newAccount()[field] };
          const answers = await Promise.all(
            [first, second].map((token) => client.request('PUT', '/api/v1/users/me', { token, json: wanted })),
          );
          const statuses = answers.map((a) => a.status).sort();
          expect(statuses, answers.map((a) => a.text).join('\n')).to.deep.equal([200, 409]);
          const conflict = answers.find((a) => a.status === 409)!;
          expect(conflict.headers.get('content-type')).to.match(/^application\/problem\+json/);
          expect((conflict.body as { detail: string }).detail).to.match(field === 'email' ? /email/i : /username/i);
        }
      });
    }
  });
}

concurrentUpdateSuite('PGlite', () => startTestServer({ DATABASE_URL: '', SECRET_KEY: TEST_SECRET }));

describe('concurrent updates on PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
  });
  after(async () => scratch?.drop());

  concurrentUpdateSuite('PostgreSQL', () => startTestServer({ DATABASE_URL: scratch!.url, SECRET_KEY: TEST_SECRET }));
});
