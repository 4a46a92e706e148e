import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { freePort } from './throwaway-services.js';
import { nodeArgumentsFor } from './entry-point.js';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildService {
  readonly url: string;
  readonly child: ChildProcess;
  /** stdout and stderr as they came, so far. */
  output(): string;
  /** Resolves once the service logs that it listens; rejects with its output if it exits first. */
  readonly listening: Promise<void>;
  readonly exited: Promise<Exit>;
  /** SIGKILL unless it has exited, then waits for the exit: for `after` hooks. */
  kill(): Promise<Exit>;
}

/** The real entry point, as `npm start` runs it, in a process of its own so that it can be killed or raced. */
export async function spawnService(env: Record<string, string>): Promise<ChildService> {
  const port = await freePort();
  const child = spawn(process.execPath, nodeArgumentsFor('bootstrap/main.ts'), {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('"msg":"listening on')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then(({ code, signal }) => reject(new Error(`service exited (${code ?? signal}) before listening:\n${output}`)));
  });
  // A caller that only awaits `exited` must not see an unhandled rejection.
  listening.catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    listening,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
