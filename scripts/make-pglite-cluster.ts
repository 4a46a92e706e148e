import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { constants, brotliCompressSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { PREPARED_CLUSTER_FOLDER, installedPgliteVersion, preparedClusterFile } from '../adapters/kysely/prepared-cluster.js';

/**
 * `npm run pglite:cluster`: runs PGlite's initdb once and stores its output as the prepared cluster that every
 * new embedded database starts from (see adapters/kysely/prepared-cluster.ts). Run it after upgrading PGlite
 * and commit the file; a test fails while the file for the installed version is missing. This one run peaks
 * near 850 MB of RSS, on the developer's machine, so that no `npm start` does.
 */
async function main(): Promise<void> {
  const version = await installedPgliteVersion();
  const pglite = await PGlite.create();
  let tarball: Uint8Array;
  try {
    tarball = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
  } finally {
    await pglite.close();
  }
  // Brotli at its strongest with a 16 MB window: 40 MB of tar (mostly zeroed pages) become about 1.1 MB, four
  // times smaller than gzip; compressing takes a minute, decompressing a fraction of a second.
  const compressed = brotliCompressSync(tarball, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: tarball.length },
  });
  const folder = fileURLToPath(PREPARED_CLUSTER_FOLDER);
  await mkdir(folder, { recursive: true });
  for (const name of await readdir(folder)) await rm(new URL(name, PREPARED_CLUSTER_FOLDER));
  await writeFile(preparedClusterFile(version), compressed);
  process.stdout.write(`${fileURLToPath(preparedClusterFile(version))}: ${compressed.length} bytes (${tarball.length} uncompressed)\n`);
}

await main();
