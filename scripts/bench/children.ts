import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();

// Whatever happens to the benchmark (error, Ctrl-C, a bug), no child outlives it: `exit` handlers run
// synchronously, and a SIGKILL needs nothing more.
process.on('exit', () => {
  for (const child of running) child.process.kill('SIGKILL');
});

/** Starts a child whose stdout and stderr go to a file, so reading its logs costs the load generator nothing. */
export function startChild(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, dir: string): Child {
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const proc = spawn(command, args, { cwd: dir, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const child: Child = {
    name,
    process: proc,
    logFile,
    exited,
    tail(lines = 20) {
      if (!existsSync(logFile)) return '';
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    },
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Polls `url` until it answers 200, or fails with the child's last log lines when it dies or takes too long. */
export async function waitForHttp(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${child.name} exited (${exitCode}) before answering:\n${child.tail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.tail()}`);
}

/** Peak resident set size in bytes: the kernel's high-water mark on Linux, else what `ps` sees now. */
export function peakRssBytes(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(status, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  }
  return undefined;
}
