import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DatabaseHandle } from '../../../adapters/kysely/database-handle.js';
import { KyselyUserRepository } from '../../../adapters/kysely/kysely-user-repository.js';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import { Email, User, Username, newUserId } from '../../../domain/index.js';
import { KyselySessionRepository } from '../../../adapters/kysely/kysely-session-repository.js';
import { KyselyMfaChallengeStore } from '../../../adapters/kysely/kysely-mfa-challenge-store.js';
import { KyselyTotpFactorRepository } from '../../../adapters/kysely/kysely-totp-factor-repository.js';
import { mfaChallengeStoreContract } from '../../contract/mfa-challenge-store.contract.js';
import { sessionRepositoryContract } from '../../contract/session-repository.contract.js';
import { totpFactorRepositoryContract } from '../../contract/totp-factor-repository.contract.js';
import { userRepositoryContract } from '../../contract/user-repository.contract.js';
import { auditLogContract } from '../../contract/audit-log.contract.js';
import { KyselyAuditLog } from '../../../adapters/kysely/kysely-audit-log.js';
import { PGLITE_OPEN_TIMEOUT_MS } from '../../support/pglite-timeout.js';

describe('KyselyUserRepository on PGlite', function () {
  // Starting PGlite takes seconds, so the suite shares one in-memory database; the contract keeps its tests apart.
  let handle: DatabaseHandle;

  before(async function () {
    this.timeout(PGLITE_OPEN_TIMEOUT_MS);
    handle = await createPgliteDatabase();
    await migrateToLatest(handle.db);
  });

  after(async function () {
    await handle?.close();
  });

  userRepositoryContract('KyselyUserRepository (PGlite)', async () => ({
    repository: new KyselyUserRepository(handle.db),
    async close() {},
  }));

  auditLogContract('KyselyAuditLog (PGlite)', async () => ({ log: new KyselyAuditLog(handle.db), async close() {} }));

  sessionRepositoryContract('KyselySessionRepository (PGlite)', async () => ({
    users: new KyselyUserRepository(handle.db),
    // Small batches, so the contract's backlog spans several of them.
    sessions: new KyselySessionRepository(handle.db),
    async close() {},
  }));

  // PGlite serves one process, so "another instance" is a second repository over the same handle.
  totpFactorRepositoryContract('KyselyTotpFactorRepository (PGlite)', async () => ({
    users: new KyselyUserRepository(handle.db),
    factors: new KyselyTotpFactorRepository(handle.db),
    otherInstance: new KyselyTotpFactorRepository(handle.db),
    async close() {},
  }));

  mfaChallengeStoreContract('KyselyMfaChallengeStore (PGlite)', async () => ({
    users: new KyselyUserRepository(handle.db),
    challenges: new KyselyMfaChallengeStore(handle.db),
    otherInstance: new KyselyMfaChallengeStore(handle.db),
    async close() {},
  }));
});

describe('createPgliteDatabase with a data directory', function () {
  let parent: string;

  beforeEach(async function () {
    parent = await mkdtemp(join(tmpdir(), 'auth-pglite-'));
  });

  afterEach(async function () {
    await rm(parent, { recursive: true, force: true });
  });

  it('creates the directory and keeps users across a close and a reopen', async function () {
    const dataDir = join(parent, 'nested', 'data');
    const now = new Date('2026-11-24T10:00:00.000Z');
    const user = User.register({
      id: newUserId(now),
      email: Email.parse('kept@example.com'),
      username: Username.parse('Keeper'),
      passwordHash: 'hash',
      now,
    });

    const first = await createPgliteDatabase({ dataDir });
    await migrateToLatest(first.db);
    await new KyselyUserRepository(first.db).add(user);
    await first.close();

    const second = await createPgliteDatabase({ dataDir });
    try {
      expect(await migrateToLatest(second.db)).to.deep.equal([]);
      const found = await new KyselyUserRepository(second.db).findByUsername(Username.parse('keeper'));
      expect(found?.id).to.equal(user.id);
      expect(found?.username.value).to.equal('Keeper');
    } finally {
      await second.close();
    }
  });

  it('answers a ping while open and closes without having been queried', async function () {
    const handle = await createPgliteDatabase({ dataDir: join(parent, 'data') });
    await handle.ping();
    await handle.close();

    const untouched = await createPgliteDatabase();
    await untouched.close();
  });
});
