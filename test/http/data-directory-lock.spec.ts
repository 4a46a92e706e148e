import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pgliteDirectory } from '../../bootstrap/database.js';
import { spawnService, type ChildService } from '../support/child-service.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_SECRET } from './http-api.suite.js';

const refusalLine = (dataDir: string, pid: number | undefined) =>
  `Failed to start: data directory ${pgliteDirectory(dataDir)} is in use by process ${pid}; stop it or give this one another DATA_DIR\n`;

describe('one process per embedded data directory', function () {
  // Real processes started through tsx, each opening PGlite: seconds apiece on a busy machine.
  this.timeout(120_000);
  let dataDir: string;
  const services: ChildService[] = [];
  const start = () => {
    const env = { NODE_ENV: 'test', DATA_DIR: dataDir, SECRET_KEY: TEST_SECRET, BCRYPT_COST: '10', LOG_LEVEL: 'info' };
    return spawnService(env).then((service) => (services.push(service), service));
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-lock-'));
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.kill()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second start with one line naming the running one, and exits non-zero', async () => {
    const first = await start();
    await first.listening;
    const second = await start();
    const outcome = await Promise.race([second.listening.then(() => 'up'), second.exited.then(() => 'refused')]);
    expect(outcome, second.output()).to.equal('refused');
    expect(await second.exited).to.deep.equal({ code: 1, signal: null });
    expect(second.output()).to.equal(refusalLine(dataDir, first.child.pid));
  });

  it('starts at once on the directory of a holder killed with SIGKILL, and keeps what it acknowledged', async () => {
    const first = await start();
    await first.listening;
    const account = newAccount();
    expect((await new ApiClient(first.url).request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    await first.kill();

    const second = await start();
    await second.listening;
    const login = await new ApiClient(second.url).request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(login.status, login.text).to.equal(200);
  });

  it('lets exactly one of two starts racing on one directory come up', async () => {
    const racers = await Promise.all([start(), start()]);
    const outcomes = await Promise.all(racers.map((r) => Promise.race([r.listening.then(() => 'up' as const), r.exited.then(() => 'refused' as const)])));
    expect([...outcomes].sort()).to.deep.equal(['refused', 'up']);
    const winner = racers[outcomes.indexOf('up')]!;
    const loser = racers[outcomes.indexOf('refused')]!;
    expect(await loser.exited).to.deep.equal({ code: 1, signal: null });
    expect(loser.output()).to.equal(refusalLine(dataDir, winner.child.pid));
  });
});

describe('stores other than the embedded one take no lock on DATA_DIR', function () {
  let dataDir: string;
  let scratch: ScratchDatabase | undefined;
  const servers: TestServer[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-nolock-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await rm(dataDir, { recursive: true, force: true });
  });
  after(async () => scratch?.drop());

  it('runs two in-memory instances on one DATA_DIR', async () => {
    servers.push(await startTestServer({ DATABASE_URL: 'memory', SECRET_KEY: TEST_SECRET }, dataDir));
    servers.push(await startTestServer({ DATABASE_URL: 'memory', SECRET_KEY: TEST_SECRET }, dataDir));
  });

  it('runs two PostgreSQL instances on one DATA_DIR', async function () {
    scratch ??= await scratchDatabaseOrSkip(this);
    servers.push(await startTestServer({ DATABASE_URL: scratch.url, SECRET_KEY: TEST_SECRET }, dataDir));
    servers.push(await startTestServer({ DATABASE_URL: scratch.url, SECRET_KEY: TEST_SECRET }, dataDir));
  });
});
