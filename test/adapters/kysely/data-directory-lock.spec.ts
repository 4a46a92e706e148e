import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  DataDirectoryLockedError,
  lockDataDirectory,
  type DataDirectoryLock,
  type LockNamespace,
} from '../../../adapters/kysely/data-directory-lock.js';
import { REPO_ROOT } from '../../../scripts/repo-root.js';
import { nodeArgumentsFor } from '../../support/entry-point.js';

interface Holder {
  readonly child: ChildProcess;
  /** `locked` once it holds the lock, or its exit code once it has given up. */
  readonly outcome: Promise<'locked' | number | null>;
  stderr(): string;
}

/** A real process taking the lock (test/adapters/kysely/fixtures/hold-data-directory.ts). */
function holder(directory: string, namespace?: LockNamespace): Holder {
  const args = [...nodeArgumentsFor('test/adapters/kysely/fixtures/hold-data-directory.ts'), directory];
  if (namespace) args.push(namespace);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const outcome = new Promise<'locked' | number | null>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('locked')) resolve('locked');
    });
    child.once('exit', (code) => resolve(code));
  });
  return { child, outcome, stderr: () => stderr };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

async function refusal(directory: string, namespace?: LockNamespace): Promise<DataDirectoryLockedError> {
  const error = await lockDataDirectory(directory, namespace ? { namespace } : {}).then(
    (lock) => lock.release().then(() => undefined),
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(DataDirectoryLockedError);
  return error as DataDirectoryLockedError;
}

const NAMESPACES: readonly (LockNamespace | undefined)[] = process.platform === 'linux' ? [undefined, 'socket-file'] : [undefined];

describe('lockDataDirectory', function () {
  // Each test starts one or two Node processes through tsx, which takes seconds on a busy machine.
  this.timeout(60_000);
  let parent: string;
  const children: ChildProcess[] = [];
  const locks: DataDirectoryLock[] = [];

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'auth-lock-'));
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(killHard));
    await Promise.all(locks.splice(0).map((lock) => lock.release()));
    await rm(parent, { recursive: true, force: true });
  });

  it('refuses a second holder in one process and is free again once released', async () => {
    const directory = join(parent, 'data');
    const first = await lockDataDirectory(directory);
    const refused = await refusal(directory);
    expect(refused.holderPid).to.equal(process.pid);
    expect(refused.message).to.equal(`data directory ${directory} is in use by process ${process.pid}; stop it or give this one another DATA_DIR`);
    await first.release();
    locks.push(await lockDataDirectory(directory));
  });

  it('is one lock for every path that resolves to the same directory', async () => {
    const directory = join(parent, 'data');
    await mkdir(directory);
    await symlink(directory, join(parent, 'alias'));
    locks.push(await lockDataDirectory(directory));
    await refusal(join(parent, 'alias'));
    await refusal(join(parent, 'data', '..', 'data'));
    locks.push(await lockDataDirectory(join(parent, 'elsewhere')));
  });

  for (const namespace of NAMESPACES) {
    describe(`in the ${namespace ?? 'platform default'} namespace`, function () {
      it('refuses while another process holds it and names that process', async () => {
        const directory = join(parent, 'data');
        const held = holder(directory, namespace);
        children.push(held.child);
        expect(await held.outcome, held.stderr()).to.equal('locked');
        const refused = await refusal(directory, namespace);
        expect(refused.holderPid).to.equal(held.child.pid);
      });

      it('is free as soon as the holder is killed with SIGKILL, with nothing to clean up', async () => {
        const directory = join(parent, 'data');
        const held = holder(directory, namespace);
        children.push(held.child);
        expect(await held.outcome, held.stderr()).to.equal('locked');
        await killHard(held.child);
        locks.push(await lockDataDirectory(directory, namespace ? { namespace } : {}));
      });

      it('lets exactly one of two processes racing for it win; the other exits naming the winner', async () => {
        const directory = join(parent, 'data');
        const racers = [holder(directory, namespace), holder(directory, namespace)];
        children.push(...racers.map((r) => r.child));
        const outcomes = await Promise.all(racers.map((r) => r.outcome));
        expect([...outcomes].sort()).to.deep.equal([1, 'locked']);
        const winner = racers[outcomes.indexOf('locked')]!;
        const loser = racers[outcomes.indexOf(1)]!;
        expect(loser.stderr()).to.equal(
          `data directory ${directory} is in use by process ${winner.child.pid}; stop it or give this one another DATA_DIR\n`,
        );
      });
    });
  }
});
