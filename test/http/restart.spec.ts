import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SECRET_FILE_NAME } from '../../bootstrap/development-secret.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_SECRET } from './http-api.suite.js';

/** Registers and logs in on the first process, then checks the account and token on a second one. */
async function survivesRestart(start: () => Promise<TestServer>): Promise<void> {
  const account = newAccount();
  const first = await start();
  let token: string;
  let id: unknown;
  try {
    const client = new ApiClient(first.url);
    const registered = await client.request('POST', '/api/v1/auth/register', { json: account });
    expect(registered.status, registered.text).to.equal(201);
    id = (registered.body as { id: unknown }).id;
    const login = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(login.status, login.text).to.equal(200);
    token = (login.body as { access_token: string }).access_token;
  } finally {
    await first.close();
  }

  const second = await start();
  try {
    const client = new ApiClient(second.url);
    const me = await client.request('GET', '/api/v1/users/me', { token });
    expect(me.status, me.text).to.equal(200);
    expect(me.body).to.include({ id, username: account.username, email: account.email });
    const login = await client.request('POST', '/api/v1/auth/login', { form: { username: account.email, password: account.password } });
    expect(login.status, login.text).to.equal(200);
    const again = await client.request('POST', '/api/v1/auth/register', { json: account });
    expect(again.status).to.equal(409);
  } finally {
    await second.close();
  }
}

describe('a restart loses nothing', function () {
  describe('on PGlite with the development key under DATA_DIR', function () {
    // Opening a new PGlite directory takes a few seconds, and this suite opens it twice.
    this.timeout(60_000);
    let dataDir: string;

    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'auth-restart-'));
    });
    afterEach(async () => rm(dataDir, { recursive: true, force: true }));

    // DATABASE_URL empty: the embedded default; SECRET_KEY unset: the key file carries the tokens over.
    const start = () => startTestServer({ DATABASE_URL: '' }, dataDir);

    it('keeps users and accepts tokens issued before the restart', async () => {
      await survivesRestart(start);
    });

    it('creates the development key readable by its owner only, and reuses it rather than making a new one', async () => {
      const keyFile = join(dataDir, SECRET_FILE_NAME);
      const first = await start();
      await first.close();
      const created = await readFile(keyFile, 'utf8');
      expect(Buffer.byteLength(created.trim())).to.be.at.least(32);
      expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);

      const second = await start();
      await second.close();
      expect(await readFile(keyFile, 'utf8')).to.equal(created);
    });
  });

  describe('on PostgreSQL with a configured SECRET_KEY', function () {
    let scratch: ScratchDatabase | undefined;

    before(async function () {
      scratch = await scratchDatabaseOrSkip(this);
    });
    after(async () => scratch?.drop());

    it('keeps users and accepts tokens issued before the restart', async () => {
      await survivesRestart(() => startTestServer({ DATABASE_URL: scratch!.url, SECRET_KEY: TEST_SECRET }));
    });
  });
});
