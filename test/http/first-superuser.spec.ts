import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../bootstrap/config.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { Email } from '../../application/index.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { expectRejection } from '../support/expect-rejection.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_SECRET } from './http-api.suite.js';

const ROOT = { email: 'root@example.com', username: 'root', password: 'the operators own long secret' };
const FIRST_SUPERUSER = { FIRST_SUPERUSER_EMAIL: ROOT.email, FIRST_SUPERUSER_USERNAME: ROOT.username, FIRST_SUPERUSER_PASSWORD: ROOT.password };

const created = (server: TestServer) => server.logLines.filter((line) => line.msg === 'first superuser created');

async function accountsWithRootEmail(server: TestServer) {
  const users = await server.container.getAsync(TOKENS.UserRepository);
  const root = await users.findByEmail(Email.parse(ROOT.email));
  return { root, all: await users.list({ prefix: 'root', limit: 10 }) };
}

function neverLogsThePassword(server: TestServer) {
  expect(server.rawLog.join('\n')).not.to.include(ROOT.password);
}

describe('the first superuser from configuration', function () {
  describe('on PGlite, across a restart on one DATA_DIR', function () {
    // A new PGlite directory takes a few seconds to open, and this opens it twice.
    this.timeout(60_000);
    let dataDir: string;
    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'auth-first-superuser-'));
    });
    after(async () => rm(dataDir, { recursive: true, force: true }));

    it('is created at the first start, logged at info; the second start neither fails nor creates another', async () => {
      const start = () => startTestServer({ DATABASE_URL: '', ...FIRST_SUPERUSER }, dataDir);
      const first = await start();
      try {
        expect(created(first)).to.have.length(1);
        expect(created(first)[0]).to.include({ level: 30, email: ROOT.email });
        neverLogsThePassword(first);
      } finally {
        await first.close();
      }

      const second = await start();
      try {
        expect(created(second)).to.deep.equal([]);
        const { root, all } = await accountsWithRootEmail(second);
        expect(all).to.have.length(1);
        expect(root).to.include({ isSuperuser: true, isActive: true });
        const login = await new ApiClient(second.url).request('POST', '/api/v1/auth/login', { form: { username: ROOT.username, password: ROOT.password } });
        expect(login.status, login.text).to.equal(200);
        neverLogsThePassword(second);
      } finally {
        await second.close();
      }
    });
  });

  describe('on PostgreSQL', function () {
    let scratch: ScratchDatabase | undefined;
    beforeEach(async function () {
      scratch = await scratchDatabaseOrSkip(this);
    });
    afterEach(async () => scratch?.drop());

    const start = (env: Record<string, string> = FIRST_SUPERUSER) => startTestServer({ DATABASE_URL: scratch!.url, SECRET_KEY: TEST_SECRET, ...env });

    it('is created once when three instances start at once', async () => {
      // The schema first, so the three race on the account rather than on the migrations.
      await (await start({})).close();
      const servers = await Promise.all([start(), start(), start()]);
      try {
        expect(servers.flatMap(created)).to.have.length(1);
        const { root, all } = await accountsWithRootEmail(servers[0]!);
        expect(all).to.have.length(1);
        expect(root?.isSuperuser).to.equal(true);
      } finally {
        await Promise.all(servers.map((server) => server.close()));
      }
    });

    it('never promotes an account registered with that email first: start-up warns, naming the email only', async () => {
      const plain = await start({});
      try {
        const squatter = newAccount({ email: ROOT.email, username: 'squatter' });
        const registered = await new ApiClient(plain.url).request('POST', '/api/v1/auth/register', { json: squatter });
        expect(registered.status, registered.text).to.equal(201);
      } finally {
        await plain.close();
      }

      const configured = await start();
      try {
        const warnings = configured.logLines.filter((line) => line.level === 40 && String(line.msg).includes('FIRST_SUPERUSER_EMAIL'));
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.include({ email: ROOT.email });
        expect(created(configured)).to.deep.equal([]);
        expect((await accountsWithRootEmail(configured)).root).to.include({ isSuperuser: false });
        neverLogsThePassword(configured);
      } finally {
        await configured.close();
      }
    });
  });

  it('stops start-up with one line naming the variable when the password is too weak, and never shows it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'auth-first-superuser-'));
    const error = await expectRejection(startTestServer({ ...FIRST_SUPERUSER, FIRST_SUPERUSER_PASSWORD: 'password123' }, dataDir), ConfigError).finally(() =>
      rm(dataDir, { recursive: true, force: true }),
    );
    expect(error.message).to.match(/^FIRST_SUPERUSER_PASSWORD: /);
    expect(error.message).not.to.include('\n');
    expect(error.message).not.to.include('password123');
  });
});
