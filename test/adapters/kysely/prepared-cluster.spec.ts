import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { migrateToLatest } from '../../../adapters/kysely/migrator.js';
import { createPgliteDatabase } from '../../../adapters/kysely/pglite-database.js';
import {
  CLUSTER_MARKER,
  installedPgliteVersion,
  preparedClusterFile,
  unpackPreparedCluster,
} from '../../../adapters/kysely/prepared-cluster.js';

describe('the prepared PGlite cluster', function () {
  let parent: string;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'auth-prepared-'));
  });
  afterEach(async () => rm(parent, { recursive: true, force: true }));

  it('is there for the installed PGlite (after an upgrade: npm run pglite:cluster, and commit the file)', async () => {
    await access(fileURLToPath(preparedClusterFile(await installedPgliteVersion())));
  });

  it('unpacks into a cluster with no tables, the marker included', async () => {
    const dataDir = join(parent, 'data');
    expect(await unpackPreparedCluster(dataDir)).to.equal(true);
    expect(await readdir(dataDir)).to.include.members([CLUSTER_MARKER, 'base', 'global', 'pg_wal']);
    const handle = await createPgliteDatabase({ dataDir });
    try {
      expect(await handle.db.introspection.getTables()).to.deep.equal([]);
    } finally {
      await handle.close();
    }
  });

  it('starts a new data directory and a database in memory without initdb', async () => {
    const slow: string[] = [];
    for (const dataDir of [join(parent, 'data'), undefined]) {
      const handle = await createPgliteDatabase({ dataDir, onSlowStart: (reason) => slow.push(reason) });
      try {
        expect(await migrateToLatest(handle.db)).to.have.lengthOf.at.least(1);
      } finally {
        await handle.close();
      }
    }
    expect(slow).to.deep.equal([]);
  });

  it('unpacks again over a directory a killed start left without its marker, and opens it', async () => {
    const dataDir = join(parent, 'data');
    await mkdir(join(dataDir, 'base'), { recursive: true });
    await writeFile(join(dataDir, 'base', 'half-written'), 'x');
    const handle = await createPgliteDatabase({ dataDir });
    try {
      await handle.ping();
      expect(await migrateToLatest(handle.db)).to.have.lengthOf.at.least(1);
    } finally {
      await handle.close();
    }
  });
});
