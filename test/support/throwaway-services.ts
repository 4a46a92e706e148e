import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Servers of a test's own, for suites that stop, kill and restart them. The shared PostgreSQL and Redis serve
 * everyone else's suites and must never go down.
 */

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Polls `condition` until it holds; fails with `what` once `timeoutMs` has passed. */
export async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface ThrowawayRedis {
  readonly url: string;
  /** Starts the server, on the same port each time, and resolves once it takes connections. */
  start(): Promise<void>;
  /** SIGKILL: no goodbye to the clients, as a crash or an OOM kill would do it. */
  kill(): Promise<void>;
}

export async function createThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'ignore'] });
      child = started;
      await new Promise<void>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => fail(new Error(`redis-server not ready on port ${port} within 5000 ms: ${output}`)), 5_000);
        const fail = (error: Error) => {
          clearTimeout(timer);
          started.kill('SIGKILL');
          reject(error);
        };
        started.once('error', fail);
        started.once('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${output}`)));
        started.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (output.includes('Ready to accept connections')) {
            clearTimeout(timer);
            started.removeAllListeners('exit');
            started.stdout!.resume();
            resolve();
          }
        });
      });
    },
    async kill() {
      if (!running()) return;
      const exited = once(child!, 'exit');
      child!.kill('SIGKILL');
      await exited;
    },
  };
}

export interface PrivatePostgres {
  /** A connection string for the cluster's `postgres` database, trust authentication. */
  readonly url: string;
  start(): Promise<void>;
  /** `fast` says goodbye to the clients; `immediate` drops them as a crash would. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the cluster if it runs and removes its files. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL server binaries: Debian's versioned folders, else whatever is on PATH. */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length > 0) return join(root, versions[0]!, 'bin');
  for (const folder of (process.env.PATH ?? '').split(':')) {
    if (folder !== '' && existsSync(join(folder, 'pg_ctl')) && existsSync(join(folder, 'initdb'))) return folder;
  }
  throw new Error('initdb and pg_ctl not found (neither under /usr/lib/postgresql/*/bin nor on PATH)');
}

/**
 * A cluster of its own in a temporary folder, on a free port, listening on 127.0.0.1 and a socket in that folder.
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` OS user, who owns the folder.
 */
export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'auth-pg-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args);
  let running = false;
  const pgCtl = async (args: string[]) => {
    try {
      await tool('pg_ctl', ['-D', dataDir, '-w', '-t', '20', ...args]);
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`pg_ctl ${args[0]} failed: ${stderr ?? String(error)}`, { cause: error });
    }
  };
  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      // -l: the server's output goes to a file, so pg_ctl returns instead of holding our pipe open.
      await pgCtl(['-l', join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      running = true;
    },
    async stop(mode) {
      await pgCtl(['-m', mode, 'stop']);
      running = false;
    },
    async destroy() {
      try {
        if (running) await cluster.stop('immediate');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await tool('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions']);
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}
