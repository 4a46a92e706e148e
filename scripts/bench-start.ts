import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '../test/support/scratch-postgres.js';
import { freePort } from '../test/support/throwaway-services.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * `npm run bench:start` (and the first part of `npm run bench`): time from spawning the service to its
 * `listening on` log line, best of BENCH_START_ROUNDS (3), for `npm start` with nothing changed since the last
 * start and for `node dist/bootstrap/main.js` (the compiled tree alone), on PostgreSQL and on the embedded
 * database restarting on its data directory. One untimed start before each series compiles what needs it and
 * creates the data directory. The first start of a new embedded data directory is timed once, apart.
 */

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
const TIMEOUT_MS = 120_000;
const log = (message: string) => process.stderr.write(`[bench:start] ${message}\n`);

interface Command {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

const NPM_START: Command = { label: '`npm start`', command: 'npm', args: ['start', '--silent'] };
const COMPILED: Command = { label: '`node dist/bootstrap/main.js`', command: process.execPath, args: ['dist/bootstrap/main.js'] };

/** Milliseconds from spawn to the ready line; the process (its whole group: npm and node) is stopped after. */
async function timeToReady(command: Command, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  // Its own process group, so SIGTERM reaches node behind npm as well.
  const child = spawn(command.command, command.args, {
    cwd: REPO_ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within ${TIMEOUT_MS} ms:\n${output}`)), TIMEOUT_MS);
      const watch = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('listening on')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${command.label} exited (${code}) before it was ready:\n${output}`));
      });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    // The next start on the same data directory must find it free.
    await exited;
  }
}

async function best(command: Command, env: Record<string, string>): Promise<number[]> {
  await timeToReady(command, env);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(await timeToReady(command, env));
  return times;
}

export async function measureStartTimes(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-bench-start-'));
  let database: ScratchDatabase | undefined;
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    database = await createScratchDatabase();
    const postgres = { DATABASE_URL: database.url, DATA_DIR: join(dir, 'postgres') };
    const embedded = { DATA_DIR: join(dir, 'embedded') };
    const rows: [string, number[], string][] = [];
    for (const [name, env, target] of [
      ['PostgreSQL', postgres, '< 1.5 s'],
      ['embedded, restarting on its data directory', embedded, '< 2.5 s'],
    ] as const) {
      for (const command of [NPM_START, COMPILED]) {
        log(`${command.label} on ${name}`);
        rows.push([`${command.label}, ${name}`, await best(command, env), command === NPM_START ? target : '']);
      }
    }
    log('first start of a new embedded data directory');
    rows.push(['`node dist/bootstrap/main.js`, embedded, first start of a new data directory', [await timeToReady(COMPILED, { DATA_DIR: join(dir, 'fresh') })], '']);

    const seconds = (ms: number) => (ms / 1000).toFixed(2);
    const lines = [
      `Start to ready (the \`listening on\` log line), best of ${ROUNDS} after one untimed start; load average before ${loadBefore}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
      '',
      '| start | best, s | all, s | target |',
      '|---|---|---|---|',
      ...rows.map(([label, times, target]) => `| ${label} | ${seconds(Math.min(...times))} | ${times.map(seconds).join(' ')} | ${target} |`),
    ];
    return lines.join('\n');
  } finally {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureStartTimes().then(
    (table) => process.stdout.write(`\n${table}\n`),
    (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
