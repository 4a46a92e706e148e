import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';

const decompress = promisify(brotliDecompress);

/**
 * A new PGlite cluster runs initdb in a second WebAssembly instance inside the process and peaks near 850 MB of
 * RSS; loading a cluster that initdb made once through `loadDataDir` about 390 MB, and reopening an existing
 * directory about 280 MB (measured in BENCHMARKS.md), so a new data directory is unpacked from the prepared
 * cluster before PGlite opens it, as if reopened. The prepared
 * cluster is that one initdb's output (no tables: migrations still run on it), made by `npm run pglite:cluster`
 * with the PGlite version it was made by in its name, since another version's files may not open. It lives in
 * this folder and the build copies it beside the compiled code.
 */
export const PREPARED_CLUSTER_FOLDER = new URL('./pglite-cluster/', import.meta.url);

export function preparedClusterFile(pgliteVersion: string): URL {
  return new URL(`${pgliteVersion}.tar.br`, PREPARED_CLUSTER_FOLDER);
}

/** The installed PGlite's version; its package.json is not exported, so found beside its entry point. */
export async function installedPgliteVersion(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('@electric-sql/pglite has no version in its package.json');
  return manifest.version;
}

/** The prepared cluster as an uncompressed tar, or undefined when none matches the installed PGlite. */
async function preparedTar(): Promise<Buffer | undefined> {
  const version = await installedPgliteVersion();
  let compressed: Buffer;
  try {
    compressed = await readFile(preparedClusterFile(version));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decompress(compressed);
}

/** For a database in memory: the tarball `loadDataDir` takes, or undefined when there is no prepared cluster. */
export async function loadPreparedCluster(): Promise<Blob | undefined> {
  const tar = await preparedTar();
  return tar === undefined ? undefined : new Blob([tar as Uint8Array<ArrayBuffer>]);
}

/** The marker PostgreSQL (and PGlite) look for to tell a data directory from an empty folder. */
export const CLUSTER_MARKER = 'PG_VERSION';

/**
 * Writes the prepared cluster into `dataDir`; false when there is none for the installed PGlite. The marker
 * is written last, so a start killed half way leaves a folder the next start unpacks again rather than a
 * cluster with missing files.
 */
export async function unpackPreparedCluster(dataDir: string): Promise<boolean> {
  const tar = await preparedTar();
  if (tar === undefined) return false;
  let marker: Buffer | undefined;
  for (const entry of tarEntries(tar)) {
    const target = join(dataDir, entry.path);
    if (entry.kind === 'directory') await mkdir(target, { recursive: true, mode: 0o700 });
    else if (entry.path === CLUSTER_MARKER) marker = entry.content;
    else await writeFile(target, entry.content, { mode: 0o600 });
  }
  if (marker === undefined) throw new Error(`the prepared cluster has no ${CLUSTER_MARKER}`);
  await writeFile(join(dataDir, CLUSTER_MARKER), marker, { mode: 0o600 });
  return true;
}

type TarEntry = { readonly path: string } & (
  | { readonly kind: 'directory' }
  | { readonly kind: 'file'; readonly content: Buffer }
);

/**
 * The ustar subset `dumpDataDir` writes (regular files and directories, 512-byte blocks); anything else is
 * refused rather than skipped, so a PGlite that starts writing links fails loudly here.
 */
function* tarEntries(tar: Buffer): Generator<TarEntry> {
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  let offset = 0;
  while (offset + 512 <= tar.length && tar[offset] !== 0) {
    const prefix = text(offset + 345, 155);
    const name = text(offset, 100);
    const path = normalize((prefix ? `${prefix}/${name}` : name).replace(/^\/+/, ''));
    if (path === '.' || path.startsWith('..') || path.split(sep).includes('..')) throw new Error(`unsafe path in tar: ${path}`);
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[offset + 156] ?? 0);
    const start = offset + 512;
    if (type === '5') yield { path, kind: 'directory' };
    else if (type === '0' || type === '\0') yield { path, kind: 'file', content: tar.subarray(start, start + size) };
    else throw new Error(`unsupported tar entry type ${JSON.stringify(type)} for ${path}`);
    offset = start + Math.ceil(size / 512) * 512;
  }
}
