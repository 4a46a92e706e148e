import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/throwaway-services.js';
import { REPO_ROOT } from '../repo-root.js';
import { startChild, waitForHttp, type Child } from './children.js';

/**
 * The embedded default's memory, measured on real processes as `npm start` runs them on a fresh machine:
 * DATABASE_URL unset (PGlite under a new DATA_DIR), no SECRET_KEY (the development key), default bcrypt cost.
 * The rate limit is raised so that one client may do the work. Peaks are the kernel's high-water mark (VmHWM), steady is VmRSS after some work. Run by `npm run bench`
 * (phase `embedded`) or alone: `npx tsx scripts/bench/embedded-memory.ts`.
 */

const PASSWORD = 'bench horse battery staple';

/** VmHWM and VmRSS of a live process, in MB. */
function memory(pid: number): { peak: number; resident: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, resident: kb('VmRSS') / 1024 };
}

/** Runs a Node script to its end and returns its own peak RSS in MB, reported by a preload at exit. */
function peakOfNodeRun(args: readonly string[]): number {
  const report =
    'data:text/javascript,import{readFileSync,writeSync}from"node:fs";' +
    'process.on("exit",()=>writeSync(2,"\\nVmHWM "+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))';
  const run = spawnSync(process.execPath, ['--import', report, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = run.stderr.toString('utf8');
  const match = /VmHWM (\d+)/.exec(stderr);
  if (run.status !== 0 || !match) throw new Error(`node ${args.join(' ')} exited ${run.status}:\n${stderr}`);
  return Number(match[1]) / 1024;
}

export interface EmbeddedMemory {
  readonly buildPeak: number;
  readonly firstStart: { peak: number; resident: number };
  readonly afterWork: { peak: number; resident: number };
  readonly restart: { peak: number; resident: number };
  readonly users: number;
}

async function startEmbedded(dataDir: string, logDir: string, name: string): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = startChild(
    name,
    process.execPath,
    [join(REPO_ROOT, 'dist/bootstrap/main.js')],
    // Defaults but for the rate limit, which would refuse one client's hundreds of requests a minute.
    { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000' },
    logDir,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${url}/health/ready`);
  return { child, url };
}

async function post(url: string, path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(`${url}${path}`, { method: 'POST', ...init });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** Registers `users` accounts, logs each in and reads its profile, a few at a time. */
async function work(url: string, users: number): Promise<void> {
  const run = randomBytes(4).toString('hex');
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < users; i = next++) {
      const username = `mem_${run}_${i}`;
      await post(url, '/api/v1/auth/register', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${username}@example.com`, username, password: PASSWORD }),
      });
      const login = await post(url, '/api/v1/auth/login', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: PASSWORD }).toString(),
      });
      const { access_token: token } = (await login.json()) as { access_token: string };
      const me = await fetch(`${url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
      if (me.status !== 200) throw new Error(`GET /users/me: ${me.status}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Expects `npm run build` to have run: measures the build's own peak by running it (esbuild) once more. */
export async function measureEmbeddedMemory(users: number, log: (message: string) => void): Promise<EmbeddedMemory> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-bench-embedded-'));
  const dataDir = join(dir, 'data');
  try {
    log('embedded: the build step of npm start (esbuild)');
    const buildPeak = peakOfNodeRun([join(REPO_ROOT, 'scripts/compile.mjs'), 'dist']);
    log('embedded: first start on a new DATA_DIR');
    const first = await startEmbedded(dataDir, dir, 'embedded-first');
    const firstStart = memory(first.child.process.pid!);
    log(`embedded: ${users} registrations, log-ins and profile reads`);
    await work(first.url, users);
    const afterWork = memory(first.child.process.pid!);
    await first.child.stop();
    log('embedded: restart on the same DATA_DIR');
    const second = await startEmbedded(dataDir, dir, 'embedded-restart');
    const restart = memory(second.child.process.pid!);
    await second.child.stop();
    return { buildPeak, firstStart, afterWork, restart, users };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function embeddedMemoryTable(m: EmbeddedMemory): string {
  const mb = (value: number) => value.toFixed(0);
  const rows = [
    ['embedded default (PGlite), MB', 'peak (VmHWM)', 'resident (VmRSS)', 'target'],
    ['build step of npm start (esbuild)', mb(m.buildPeak), '', '< 500 peak'],
    ['first start on a new DATA_DIR, ready', mb(m.firstStart.peak), mb(m.firstStart.resident), '< 500 peak'],
    [`after ${m.users} registrations + log-ins + profile reads`, mb(m.afterWork.peak), mb(m.afterWork.resident), ''],
    ['restart on the same DATA_DIR, ready', mb(m.restart.peak), mb(m.restart.resident), ''],
  ];
  return rows.map((row, i) => `| ${row.join(' | ')} |${i === 0 ? `\n|${row.map(() => '---').join('|')}|` : ''}`).join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const users = Number(process.env.BENCH_EMBEDDED_USERS ?? 100);
  if (process.env.BENCH_SKIP_BUILD !== '1') execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const measured = await measureEmbeddedMemory(users, (message) => process.stderr.write(`[bench] ${message}\n`));
  process.stdout.write(`\n${embeddedMemoryTable(measured)}\n`);
}
