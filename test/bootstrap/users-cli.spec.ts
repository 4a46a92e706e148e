import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TOKENS } from '../../bootstrap/tokens.js';
import { Email } from '../../application/index.js';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { newAccount } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { startTestServer } from '../support/test-server.js';
import { lockDataDirectory, type DataDirectoryLock } from '../../adapters/kysely/data-directory-lock.js';
import { pgliteDirectory } from '../../bootstrap/database.js';
import { TEST_SECRET } from '../http/http-api.suite.js';
import { nodeArgumentsFor } from '../support/entry-point.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run users -- …` without the build step: the same entry point, as its own process. */
function users(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgumentsFor('bootstrap/users-cli.ts'), ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function oneLine(text: string): string {
  expect(text.split('\n').filter(Boolean), text).to.have.length(1);
  return text.trim();
}

describe('npm run users (promote, demote)', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase | undefined;
  const alice = newAccount();
  const bob = newAccount();
  let env: Record<string, string>;

  // A database of its own per test, so no test depends on who another one promoted.
  beforeEach(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    env = { DATABASE_URL: scratch.url, SECRET_KEY: TEST_SECRET };
    const server = await startTestServer(env);
    try {
      const register = await server.container.getAsync(TOKENS.RegisterUser);
      await register.execute(alice);
      await register.execute(bob);
    } finally {
      await server.close();
    }
  });
  afterEach(async () => scratch?.drop());

  /** What the service itself would read, from a second process: the CLI's change is in the database. */
  async function stored(email: string) {
    const server = await startTestServer(env);
    try {
      const user = await (await server.container.getAsync(TOKENS.UserRepository)).findByEmail(Email.parse(email));
      const events = await (await server.container.getAsync(TOKENS.AuditLog)).list({ userId: user!.id, type: 'admin.user_updated' }, { limit: 10 });
      return { user: user!, events };
    } finally {
      await server.close();
    }
  }

  it('promotes and demotes by email, in one line each, and records who did it: the command line', async () => {
    const promoted = await users(env, 'promote', alice.email.toUpperCase());
    expect(promoted.code, promoted.stderr).to.equal(0);
    expect(oneLine(promoted.stdout)).to.equal(`promoted ${alice.email} (${alice.username}): superuser`);
    expect(promoted.stderr).to.equal('');
    expect((await users(env, 'promote', bob.email)).code).to.equal(0);

    const demoted = await users(env, 'demote', bob.email);
    expect(demoted.code, demoted.stderr).to.equal(0);
    expect(oneLine(demoted.stdout)).to.equal(`demoted ${bob.email} (${bob.username}): not a superuser`);

    const { user, events } = await stored(alice.email);
    expect(user.isSuperuser).to.equal(true);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ actorId: null });
    expect(events[0]!.details).to.deep.include({ is_superuser: true, by: 'command line' });
    expect((await stored(bob.email)).user.isSuperuser).to.equal(false);
  });

  it('refuses to demote the last superuser, exiting 1 with one line', async () => {
    expect((await users(env, 'promote', alice.email)).code).to.equal(0);
    const run = await users(env, 'demote', alice.email);
    expect(run.code).to.equal(1);
    expect(oneLine(run.stderr)).to.equal(`${alice.email} is the last active superuser; promote another account first`);
    expect(run.stdout).to.equal('');
    expect((await stored(alice.email)).user.isSuperuser).to.equal(true);
  });

  it('refuses an unknown email or username and an invalid one, exiting 1 with one line', async () => {
    const unknown = await users(env, 'promote', 'nobody@example.com');
    expect(unknown.code).to.equal(1);
    expect(oneLine(unknown.stderr)).to.equal('no account has the email nobody@example.com');
    const nobody = await users(env, 'promote', 'nobody');
    expect(nobody.code).to.equal(1);
    expect(oneLine(nobody.stderr)).to.equal('no account has the username nobody');
    const invalid = await users(env, 'promote', 'not a name!');
    expect(invalid.code).to.equal(1);
    expect(oneLine(invalid.stderr)).to.equal('not an email address or a username: not a name!');
  });

  it('promotes by username too, as the administration walk-through does', async () => {
    const promoted = await users(env, 'promote', alice.username);
    expect(promoted.code, promoted.stderr).to.equal(0);
    expect(oneLine(promoted.stdout)).to.equal(`promoted ${alice.email} (${alice.username}): superuser`);
  });

  it('prints its usage and exits 2 for anything else', async () => {
    for (const args of [[], ['promote'], ['grant', alice.email], ['promote', alice.email, 'extra']]) {
      const run = await users(env, ...args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(oneLine(run.stderr)).to.match(/^usage: npm run users -- promote <email or username> \| demote <email or username>$/);
    }
  });
});

describe('npm run users and npm run migrate beside a service holding the embedded database', function () {
  this.timeout(120_000);
  let dataDir: string;
  let lock: DataDirectoryLock | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'users-cli-held-'));
    // This process takes the lock the service takes on DATA_DIR at `npm start` (without opening PGlite: only
    // the lock matters here).
    await mkdir(pgliteDirectory(dataDir), { recursive: true });
    lock = await lockDataDirectory(pgliteDirectory(dataDir));
  });
  after(async () => {
    await lock?.release();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says so in one line naming the process and the admin API call to use instead', async () => {
    const run = await users({ DATA_DIR: dataDir, SECRET_KEY: TEST_SECRET }, 'promote', 'alice');
    expect(run.code).to.equal(1);
    const line = oneLine(run.stderr);
    expect(line).to.include(`in use by process ${process.pid}`);
    expect(line).to.include('PATCH /api/v1/users/{id} with {"is_superuser": true}');
  });

  it('has npm run migrate say so in one line as well, naming the process', async () => {
    const run = await new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [...nodeArgumentsFor('bootstrap/migrate.ts'), 'status'],
        { cwd: REPO_ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    expect(run.code).to.equal(1);
    expect(oneLine(run.stderr)).to.include(`in use by process ${process.pid}`);
  });
});
