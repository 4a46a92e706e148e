import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Another live process holds the data directory; `holderPid` is undefined when it did not say who it is. */
export class DataDirectoryLockedError extends Error {
  constructor(
    readonly directory: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `data directory ${directory} is in use by ${holderPid === undefined ? 'another process' : `process ${holderPid}`}; ` +
        'stop it or give this one another DATA_DIR',
    );
    this.name = 'DataDirectoryLockedError';
  }
}

export interface DataDirectoryLock {
  release(): Promise<void>;
}

export type LockNamespace = 'abstract' | 'pipe' | 'socket-file';

export interface LockOptions {
  /** Where the lock's name lives; the platform's best by default. A test may pick another to exercise it. */
  readonly namespace?: LockNamespace;
}

/** How long a newcomer waits for the holder to say its pid; a stopped (SIGSTOP) holder accepts but never answers. */
const HOLDER_ANSWER_MS = 2_000;

function defaultNamespace(): LockNamespace {
  if (process.platform === 'linux') return 'abstract';
  if (process.platform === 'win32') return 'pipe';
  return 'socket-file';
}

function lockAddress(directory: string, namespace: LockNamespace): string {
  const digest = createHash('sha256').update(directory).digest('hex').slice(0, 32);
  // A listening socket is the lock: the kernel drops it with the process, kill -9 included, so a crash leaves
  // nothing stale behind, and the holder can tell a newcomer its pid. Abstract names (Linux) and named pipes
  // (Windows) have no file at all.
  if (namespace === 'abstract') return `\0auth-service-data-dir:${digest}`;
  if (namespace === 'pipe') return `\\\\?\\pipe\\auth-service-data-dir-${digest}`;
  // Elsewhere the socket has a file that outlives a killed holder; see `takeOverStaleSocketFile`. In the temporary
  // folder because socket paths are limited to about 100 bytes.
  return join(tmpdir(), `auth-service-data-dir-${digest}.sock`);
}

function listen(server: Server, address: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => resolve(error);
    server.once('error', failed);
    server.listen(address, () => {
      server.off('error', failed);
      resolve(undefined);
    });
  });
}

type HolderAnswer = { readonly pid: number | undefined } | { readonly gone: true };

/** Asks the process holding `address` for its pid. `gone`: nobody accepts any more (it has just exited). */
async function askHolder(address: string): Promise<HolderAnswer> {
  const socket = connect(address);
  socket.setTimeout(HOLDER_ANSWER_MS);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('end', resolve);
      socket.once('timeout', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return { gone: true };
    throw error;
  } finally {
    socket.destroy();
  }
  const pid = Number(text.trim());
  return { pid: Number.isSafeInteger(pid) && pid > 0 ? pid : undefined };
}

/**
 * Takes the data directory for this process alone, or throws `DataDirectoryLockedError` naming the holder. Two
 * processes writing one PGlite directory each keep their own copy of the pages in memory and overwrite each
 * other's files: acknowledged writes vanish on the next start. The lock is keyed by the directory's real path
 * (symlinks and `..` resolve to one lock) and covers the processes of one host sharing a network namespace, so
 * not two containers mounting one volume.
 */
export async function lockDataDirectory(directory: string, options: LockOptions = {}): Promise<DataDirectoryLock> {
  await mkdir(directory, { recursive: true });
  const real = await realpath(directory);
  const namespace = options.namespace ?? defaultNamespace();
  const address = lockAddress(real, namespace);
  // A few rounds: a holder that exits between our failed listen and our question frees the name for the next try.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const server = createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.end(`${process.pid}\n`);
    });
    const error = await listen(server, address);
    if (error === undefined) {
      // The lock must never keep the process alive on its own.
      server.unref();
      return {
        async release() {
          if (!server.listening) return;
          server.close();
          await once(server, 'close');
        },
      };
    }
    if (error.code !== 'EADDRINUSE') throw error;
    const answer = await askHolder(address);
    if (!('gone' in answer)) throw new DataDirectoryLockedError(directory, answer.pid);
    if (namespace === 'socket-file') await takeOverStaleSocketFile(address);
  }
  throw new DataDirectoryLockedError(directory, undefined);
}

/**
 * A socket file whose process died (kill -9) refuses connections but still blocks `listen`. Removing it is the
 * takeover; two newcomers doing so at the same instant could both succeed, a window the abstract and pipe
 * namespaces (Linux, Windows) do not have.
 */
async function takeOverStaleSocketFile(address: string): Promise<void> {
  await rm(address, { force: true });
}
